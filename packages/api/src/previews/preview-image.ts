import { checkUrl, type FetchOptions, PreviewFetchError, safeFetch } from './safe-fetch';

// The card's image (docs/decisions/138-link-previews.md): fetched under the same address rules as
// the page, size-limited, and kept only if its bytes are an image of a type browsers show. The bytes
// go on to be stored re-encoded as a file of the message (decision 141); the card keeps the URL too.

export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

export interface CheckedImage {
  url: string;
  width?: number;
  height?: number;
  /** What was fetched (at most maxBytes), for the server to store re-encoded. */
  bytes: Buffer;
}

/** The image type `bytes` start with (by content, not by the server's header), with its size when the header says it. */
export function sniffImage(bytes: Buffer): { type: (typeof IMAGE_TYPES)[number]; width?: number; height?: number } | null {
  if (bytes.length >= 24 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return { type: 'image/png', ...size(bytes.readUInt32BE(16), bytes.readUInt32BE(20)) };
  }
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return { type: 'image/jpeg' };
  if (bytes.length >= 10 && /^GIF8[79]a$/.test(bytes.subarray(0, 6).toString('latin1'))) {
    return { type: 'image/gif', ...size(bytes.readUInt16LE(6), bytes.readUInt16LE(8)) };
  }
  if (bytes.length >= 12 && bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return { type: 'image/webp' };
  return null;
}

const size = (width: number, height: number) => (width > 0 && height > 0 && width <= 20_000 && height <= 20_000 ? { width, height } : {});

/**
 * The page's image `raw` (relative to `pageUrl`) if it is https (http too when `allowHttp`, for
 * tests), reachable under the address rules, within `maxBytes` and an image by its bytes; null otherwise.
 */
export async function checkImage(
  raw: string,
  pageUrl: URL,
  options: Omit<FetchOptions, 'types' | 'maxBytes'> & { maxBytes: number; allowHttp: boolean; declared?: { width?: number; height?: number } },
): Promise<CheckedImage | null> {
  let url: URL;
  try {
    url = checkUrl(new URL(raw, pageUrl), options.network);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && !options.allowHttp) return null;
  try {
    const fetched = await safeFetch(url.href, { ...options, types: IMAGE_TYPES });
    if (fetched.cut) return null;
    const sniffed = sniffImage(fetched.body);
    if (!sniffed) return null;
    // The image's own header is the truth; the page's og:image:width/height only stand in for it.
    const width = sniffed.width ?? options.declared?.width;
    const height = sniffed.height ?? options.declared?.height;
    return { url: fetched.url.href, ...(width && height ? { width, height } : {}), bytes: fetched.body };
  } catch (error) {
    if (error instanceof PreviewFetchError) return null;
    throw error;
  }
}
