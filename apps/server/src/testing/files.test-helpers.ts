import { deflateSync, crc32 } from 'node:zlib';
import { ATTACHMENT_ID_HEADER, UPLOADS_PATH } from '@chat/api/schemas';
import { Upload } from 'tus-js-client';
/** What the helpers need of a test server (not its type: testing.ts re-exports these helpers). */
type TestServer = { url: string };

// Files for the upload tests, made here byte by byte so no fixture or image library is needed.

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

function header(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr)]);
}

/** A real RGB PNG of `width`×`height`, a gradient (so re-encoding has something to keep). */
export function makePng(width: number, height: number): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) row.set([(x * 255) / width, (y * 255) / height, 128], 1 + x * 3);
    rows.push(row);
  }
  return Buffer.concat([header(width, height), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

/** A PNG whose header claims 50,000×50,000 pixels (a decompression bomb's calling card) over a few bytes of data. */
export function makeHugePngHeader(): Buffer {
  return Buffer.concat([header(50_000, 50_000), chunk('IDAT', deflateSync(Buffer.alloc(64))), chunk('IEND', Buffer.alloc(0))]);
}

/** A small but well-formed PDF. */
export function makePdf(text = 'Quarterly report'): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n` +
      `3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 200 200]>> endobj\n% ${text}\ntrailer <</Root 1 0 R>>\n%%EOF\n`,
  );
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** Upload-Metadata as tus writes it. */
export const uploadMetadata = (meta: Record<string, string>) =>
  Object.entries(meta)
    .map(([k, v]) => `${k} ${b64(v)}`)
    .join(',');

/** A whole upload with the real tus client (tus-js-client, as the web and bots use it): the attachment id, or the refusal. */
export function tusUpload(
  server: Pick<TestServer, 'url'>,
  token: string,
  file: ({ roomId: string } | { purpose: 'avatar' }) & { name: string; bytes: Buffer; chunkSize?: number },
): Promise<{ ok: true; attachmentId: string } | { ok: false; status: number; body: string }> {
  return new Promise((resolve) => {
    const upload = new Upload(file.bytes, {
      endpoint: `${server.url}${UPLOADS_PATH}`,
      headers: { Authorization: `Bearer ${token}` },
      metadata: 'roomId' in file ? { filename: file.name, roomId: file.roomId } : { filename: file.name, purpose: file.purpose },
      retryDelays: null,
      storeFingerprintForResuming: false,
      ...(file.chunkSize ? { chunkSize: file.chunkSize } : {}),
      onSuccess: ({ lastResponse }) => resolve({ ok: true, attachmentId: lastResponse.getHeader(ATTACHMENT_ID_HEADER) ?? '' }),
      onError: (error) => {
        const response = (error as { originalResponse?: { getStatus(): number; getBody(): string } | null }).originalResponse;
        resolve({ ok: false, status: response?.getStatus() ?? 0, body: response?.getBody() ?? String(error) });
      },
    });
    upload.start();
  });
}

/** tus by hand (fetch), for the steps a test must control: create, ask the offset, send bytes. */
export function rawTus(server: Pick<TestServer, 'url'>, token: string | null) {
  const auth: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  return {
    create: (length: number | null, meta: Record<string, string>) =>
      fetch(`${server.url}${UPLOADS_PATH}`, {
        method: 'POST',
        headers: { ...auth, 'Tus-Resumable': '1.0.0', ...(length === null ? {} : { 'Upload-Length': String(length) }), 'Upload-Metadata': uploadMetadata(meta) },
      }),
    head: (location: string) => fetch(new URL(location, server.url), { method: 'HEAD', headers: { ...auth, 'Tus-Resumable': '1.0.0' } }),
    patch: (location: string, offset: number, bytes: Buffer) =>
      fetch(new URL(location, server.url), {
        method: 'PATCH',
        headers: { ...auth, 'Tus-Resumable': '1.0.0', 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
        body: new Uint8Array(bytes),
      }),
    remove: (location: string) => fetch(new URL(location, server.url), { method: 'DELETE', headers: { ...auth, 'Tus-Resumable': '1.0.0' } }),
  };
}
