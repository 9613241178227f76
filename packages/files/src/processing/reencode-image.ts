import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import sharp, { type Sharp } from 'sharp';
import { thumbnailKey, type FileStorage } from '../storage/file-storage';
import { refused, type FileLimits, type ProcessedFile } from './processed-file';
import { Slots } from './slots';

/** The image types we decode and write anew; everything else (SVG, TIFF, HEIC, ...) is kept as an opaque file. */
export const REENCODED_TYPES: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
const ANIMATABLE = new Set(['image/gif', 'image/webp']);
const THUMBNAIL_TYPE = 'image/webp';
// A stuck decoder must not hold a worker: libvips stops the pipeline after this long.
const TIMEOUT_SECONDS = 20;

// libvips already uses every core for one image: more decodes at once only add memory (up to maxPixels × 4 bytes each).
const decodeSlots = new Slots(Math.max(1, Math.min(4, availableParallelism())));

// sharp's operation cache holds decoded inputs by file name; each of ours is read once and then deleted.
sharp.cache(false);

/**
 * Decodes the image `key` within `limits` and writes it back re-encoded (no EXIF, GPS, ICC or comments, nothing
 * after the image data), plus a still WebP thumbnail at `${key}.thumb`. The bytes go through a scratch directory on
 * the local disk, so libvips streams from a file instead of sharp buffering the input in memory.
 */
export async function reencodeImage(storage: FileStorage, key: string, type: string, limits: FileLimits): Promise<ProcessedFile> {
  const scratch = await mkdtemp(join(tmpdir(), 'chat-files-'));
  try {
    const original = join(scratch, 'original');
    await pipeline(await storage.read(key), createWriteStream(original, { mode: 0o600 }));

    // The header alone, with no pixel limit of sharp's own, so a huge image is named as such just below.
    let metadata: sharp.Metadata;
    try {
      metadata = await sharp(original, { limitInputPixels: false }).metadata();
    } catch (error) {
      return decodeRefusal(error);
    }
    if (!metadata.width || !metadata.height) return refused('unreadable-image', 'The image could not be read.');
    const frames = ANIMATABLE.has(type) ? Math.max(1, metadata.pages ?? 1) : 1;
    const frameHeight = frames > 1 ? (metadata.pageHeight ?? metadata.height) : metadata.height;
    // Checked from the header before anything is decoded: a 50,000 × 50,000 PNG of a few hundred bytes is refused
    // here, with nothing allocated for its pixels.
    const tooBig = tooManyPixels(metadata.width, frameHeight, frames, limits);
    if (tooBig) return refused('too-many-pixels', tooBig);

    const reencoded = join(scratch, 'reencoded');
    const thumbnail = join(scratch, 'thumbnail');
    let encoded: { width: number; height: number; thumbnail: { width: number; height: number } };
    try {
      encoded = await decodeSlots.run(() => encode(original, reencoded, thumbnail, type, frames > 1, limits));
    } catch (error) {
      return decodeRefusal(error);
    }
    // Outside the decoder's try: a storage that fails is an error to report, not a verdict on the file.
    const written = await storage.write(key, createReadStream(reencoded), type);
    await storage.write(thumbnailKey(key), createReadStream(thumbnail), THUMBNAIL_TYPE);
    return {
      ok: true,
      kind: 'image',
      type,
      size: written.size,
      width: encoded.width,
      height: encoded.height,
      animated: frames > 1,
      thumbnail: { key: thumbnailKey(key), ...encoded.thumbnail, type: THUMBNAIL_TYPE },
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function encode(
  original: string,
  reencoded: string,
  thumbnail: string,
  type: string,
  animated: boolean,
  limits: FileLimits,
): Promise<{ width: number; height: number; thumbnail: { width: number; height: number } }> {
  // failOn 'truncated': an image whose data ends early is refused rather than shown with a grey bottom half.
  const input = { limitInputPixels: limits.maxPixels, sequentialRead: true, failOn: 'truncated' as const, animated };
  // autoOrient applies the EXIF orientation before the EXIF is dropped, so width and height are as displayed.
  await encoder(sharp(original, input).autoOrient(), type).timeout({ seconds: TIMEOUT_SECONDS }).toFile(reencoded);
  const output = await sharp(reencoded, { animated }).metadata();
  const thumb = await sharp(reencoded, { limitInputPixels: limits.maxPixels, sequentialRead: true })
    .resize(limits.thumbnailSize, limits.thumbnailSize, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 80 })
    .timeout({ seconds: TIMEOUT_SECONDS })
    .toFile(thumbnail);
  return {
    width: output.width,
    height: animated ? (output.pageHeight ?? output.height) : output.height,
    thumbnail: { width: thumb.width, height: thumb.height },
  };
}

function tooManyPixels(width: number, frameHeight: number, frames: number, limits: FileLimits): string | undefined {
  if (width > limits.maxDimension || frameHeight > limits.maxDimension) {
    return `The image is ${width} × ${frameHeight} pixels; images may be at most ${limits.maxDimension} pixels on a side.`;
  }
  const pixels = width * frameHeight * frames;
  if (pixels > limits.maxPixels) {
    const what = frames > 1 ? `${frames} frames of ${width} × ${frameHeight} pixels` : `${width} × ${frameHeight} pixels`;
    return `The image has ${what}, more than the ${limits.maxPixels} pixels an image may have.`;
  }
  return undefined;
}

function encoder(image: Sharp, type: string): Sharp {
  switch (type) {
    case 'image/jpeg':
      return image.jpeg({ quality: 85 });
    case 'image/png':
      return image.png();
    case 'image/gif':
      return image.gif();
    default:
      return image.webp({ quality: 85 });
  }
}

function decodeRefusal(error: unknown): ProcessedFile {
  const text = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(text)) return refused('too-many-pixels', 'The image has more pixels than an image may have.');
  if (/truncat|premature end|unexpected end|not enough data|end of (file|stream|data)|read error/i.test(text)) {
    return refused('truncated', 'The image is cut short: its data ends before the picture does.');
  }
  if (/timeout/i.test(text)) return refused('unreadable-image', 'The image took too long to decode.');
  return refused('unreadable-image', 'The image could not be decoded.');
}

