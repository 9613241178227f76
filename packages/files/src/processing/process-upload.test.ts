import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileNotFoundError } from '../storage/file-storage';
import { HTML_PAGE, MINIMAL_PDF, pngBomb, pngHeaderClaiming, pngWithTextBomb, SVG_WITH_SCRIPT, zipOfZeros } from '../testing/crafted-files';
import { BACKENDS, type Backend } from '../testing/storage-backends';
import { processUpload } from './process-upload';
import type { FileLimits, ProcessedFile } from './processed-file';

const LIMITS: FileLimits = { maxPixels: 50_000_000, maxDimension: 16_000, thumbnailSize: 256 };
// Every case, hostile ones included, must end within this: a stuck decoder would hold a server worker.
const QUICK_MS = 5_000;

const noise = (width: number, height: number) =>
  sharp(Buffer.from(Array.from({ length: width * height * 3 }, (_, i) => (i * 7919) % 251)), { raw: { width, height, channels: 3 } });

describe.each(BACKENDS)('processUpload on $name', ({ start }) => {
  let backend: Backend;
  let next = 0;
  beforeAll(async () => {
    backend = await start();
  });
  afterAll(() => backend.close());

  /** Stages `bytes` as an upload would, processes it, and checks it ended quickly. */
  async function processed(bytes: Buffer, limits = LIMITS): Promise<{ key: string; result: ProcessedFile }> {
    const key = `upload-${next++}`;
    await backend.storage.write(key, Readable.from([bytes]));
    const began = performance.now();
    const result = await processUpload(backend.storage, key, limits);
    expect(performance.now() - began).toBeLessThan(QUICK_MS);
    return { key, result };
  }
  const stored = async (key: string) => buffer(await backend.storage.read(key));

  it('re-encodes a PNG with its size, and writes a thumbnail that fits the box', async () => {
    const { key, result } = await processed(await noise(600, 300).png().toBuffer());
    expect(result).toMatchObject({ ok: true, kind: 'image', type: 'image/png', width: 600, height: 300, animated: false });
    if (!result.ok || result.kind !== 'image') throw new Error('not an image');
    expect(result.size).toBe((await stored(key)).length);
    expect(result.thumbnail).toEqual({ key: `${key}.thumb`, width: 256, height: 128, type: 'image/webp' });
    const thumb = await sharp(await stored(result.thumbnail.key)).metadata();
    expect([thumb.format, thumb.width, thumb.height]).toEqual(['webp', 256, 128]);
  });

  it('strips EXIF and GPS from a JPEG and applies its orientation, so width and height are as shown', async () => {
    const original = await noise(300, 200)
      .jpeg()
      .withExif({ IFD0: { Copyright: 'someone', ImageDescription: 'at home' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' } })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const before = await sharp(original).metadata();
    expect(before.exif?.toString('latin1')).toContain('at home');
    expect(before.orientation).toBe(6);

    const { key, result } = await processed(original);
    // Orientation 6 is a quarter turn: a 300 × 200 sensor image is shown 200 wide and 300 high.
    expect(result).toMatchObject({ ok: true, kind: 'image', type: 'image/jpeg', width: 200, height: 300 });
    const after = await sharp(await stored(key)).metadata();
    expect([after.width, after.height]).toEqual([200, 300]);
    expect(after.exif).toBeUndefined();
    expect(after.orientation).toBeUndefined();
    expect((await stored(key)).includes('at home')).toBe(false);
  });

  it('keeps an animated GIF animated, and says so', async () => {
    const frames = await Promise.all(
      ['red', 'green', 'blue'].map((colour) => sharp({ create: { width: 40, height: 30, channels: 3, background: colour } }).png().toBuffer()),
    );
    const gif = await sharp(frames, { join: { animated: true } }).gif().toBuffer();
    expect((await sharp(gif).metadata()).pages).toBe(3);
    const { key, result } = await processed(gif);
    expect(result).toMatchObject({ ok: true, kind: 'image', type: 'image/gif', width: 40, height: 30, animated: true });
    expect((await sharp(await stored(key)).metadata()).pages).toBe(3);
  });

  it('keeps an animated WebP animated, with a still thumbnail', async () => {
    const frames = await Promise.all(
      ['yellow', 'purple'].map((colour) => sharp({ create: { width: 50, height: 20, channels: 3, background: colour } }).png().toBuffer()),
    );
    const webp = await sharp(frames, { join: { animated: true } }).webp().toBuffer();
    const { key, result } = await processed(webp);
    expect(result).toMatchObject({ ok: true, kind: 'image', type: 'image/webp', width: 50, height: 20, animated: true });
    expect((await sharp(await stored(key)).metadata()).pages).toBe(2);
    expect((await sharp(await stored(`${key}.thumb`)).metadata()).pages ?? 1).toBe(1);
  });

  it('processes many images arriving at once, each to its own result', async () => {
    const sides = [40, 60, 80, 100, 120, 140, 160, 180];
    const results = await Promise.all(sides.map(async (side) => processed(await noise(side, side / 2).png().toBuffer())));
    expect(results.map(({ result }) => (result.ok && result.kind === 'image' ? [result.width, result.height] : result))).toEqual(
      sides.map((side) => [side, side / 2]),
    );
  });

  it('re-encodes a polyglot (a JPEG with a ZIP and a page after it) into the image alone', async () => {
    const jpeg = await noise(64, 64).jpeg().toBuffer();
    const zip = await zipOfZeros('payload.txt', 1000);
    const { key, result } = await processed(Buffer.concat([jpeg, zip, HTML_PAGE]));
    expect(result).toMatchObject({ ok: true, kind: 'image', type: 'image/jpeg', width: 64, height: 64 });
    const output = await stored(key);
    expect(output.includes(Buffer.from('PK\u0003\u0004', 'latin1'))).toBe(false);
    expect(output.includes('<script')).toBe(false);
  });

  it('types a PDF by its content, whatever the key or name says, and leaves it as uploaded', async () => {
    const { key, result } = await processed(MINIMAL_PDF);
    expect(result).toEqual({ ok: true, kind: 'file', type: 'application/pdf', size: MINIMAL_PDF.length });
    expect((await stored(key)).equals(MINIMAL_PDF)).toBe(true);
    await backend.storage.write('looks-like.png', Readable.from([MINIMAL_PDF]));
    expect(await processUpload(backend.storage, 'looks-like.png', LIMITS)).toMatchObject({ kind: 'file', type: 'application/pdf' });
  });

  it('never calls an SVG with a script an image, and never re-encodes it', async () => {
    const { key, result } = await processed(SVG_WITH_SCRIPT);
    expect(result).toEqual({ ok: true, kind: 'file', type: 'image/svg+xml', size: SVG_WITH_SCRIPT.length });
    expect((await stored(key)).equals(SVG_WITH_SCRIPT)).toBe(true);
    expect(await backend.storage.stat(`${key}.thumb`)).toBeNull();
  });

  it('types an HTML page as text/html, a file', async () => {
    expect((await processed(HTML_PAGE)).result).toEqual({ ok: true, kind: 'file', type: 'text/html', size: HTML_PAGE.length });
  });

  it('keeps a zip bomb an opaque zip file, never decompressing it', async () => {
    // 100 MB of zeros in about 100 KB: if anything inflated it, the heap and the time would show.
    const bomb = await zipOfZeros('bomb.bin', 100 * 1024 * 1024);
    const heapBefore = process.memoryUsage().heapUsed;
    expect((await processed(bomb)).result).toEqual({ ok: true, kind: 'file', type: 'application/zip', size: bomb.length });
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(50 * 1024 * 1024);
    // Named as the entry file-type opens to tell a .docx from a .zip: it inflates that one within its own limit.
    const lure = await zipOfZeros('[Content_Types].xml', 100 * 1024 * 1024);
    expect((await processed(lure)).result).toMatchObject({ ok: true, kind: 'file', type: 'application/zip' });
  });

  it('drops a PNG text chunk that inflates to 100 MB, without inflating it into memory', async () => {
    const png = await pngWithTextBomb(await noise(32, 32).png().toBuffer(), 100 * 1024 * 1024);
    expect(png.length).toBeLessThan(200 * 1024);
    const rssBefore = process.memoryUsage().rss;
    const { key, result } = await processed(png);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(80 * 1024 * 1024);
    if (result.ok) {
      expect(result).toMatchObject({ kind: 'image', width: 32, height: 32 });
      expect((await stored(key)).includes('zTXt')).toBe(false);
    }
  });

  it('refuses a PNG header claiming 50,000 × 50,000 pixels from the header alone', async () => {
    const rssBefore = process.memoryUsage().rss;
    const { result } = await processed(pngHeaderClaiming(50_000, 50_000));
    expect(result).toMatchObject({ ok: false, reason: 'too-many-pixels' });
    if (result.ok) throw new Error('accepted');
    expect(result.message).toMatch(/50000 × 50000/);
    // 7.5 GB if decoded; nothing near that (or near 1 GB) was allocated.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024);
  });

  it('refuses a decompression bomb: a real PNG of a few KB that decodes to 400 megapixels', async () => {
    const bomb = await pngBomb(20_000);
    expect(bomb.length).toBeLessThan(200 * 1024);
    expect((await processed(bomb)).result).toMatchObject({ ok: false, reason: 'too-many-pixels' });
  });

  it('refuses an image longer on one side than the limit, however few its pixels', async () => {
    const { result } = await processed(await sharp({ create: { width: 17_000, height: 2, channels: 3, background: 'white' } }).png().toBuffer());
    expect(result).toMatchObject({ ok: false, reason: 'too-many-pixels' });
  });

  it('refuses an animation whose frames together are too many pixels', async () => {
    const frames = await Promise.all(
      Array.from({ length: 12 }, (_, i) => sharp({ create: { width: 100, height: 100, channels: 3, background: { r: i * 20, g: 0, b: 0 } } }).png().toBuffer()),
    );
    const gif = await sharp(frames, { join: { animated: true } }).gif().toBuffer();
    // 12 frames of 10,000 pixels: fine alone, over a 100,000-pixel budget together.
    expect((await processed(gif, { ...LIMITS, maxPixels: 100_000 })).result).toMatchObject({ ok: false, reason: 'too-many-pixels' });
  });

  it('refuses truncated PNG and JPEG files cleanly', async () => {
    for (const whole of [await noise(400, 400).png().toBuffer(), await noise(400, 400).jpeg().toBuffer()]) {
      const { result } = await processed(whole.subarray(0, Math.floor(whole.length / 2)));
      expect(result.ok).toBe(false);
      if (result.ok) throw new Error('accepted');
      expect(['truncated', 'unreadable-image']).toContain(result.reason);
    }
  });

  it('refuses a PNG whose header is sound and whose image data is garbage, and types mere PNG magic as unknown', async () => {
    const garbage = Buffer.concat([pngHeaderClaiming(64, 64).subarray(0, 33), Buffer.from('not image data at all, only words'.repeat(20))]);
    const { result } = await processed(garbage);
    expect(result).toMatchObject({ ok: false });
    if (result.ok) throw new Error('accepted');
    expect(['truncated', 'unreadable-image']).toContain(result.reason);
    // Eight bytes of signature and nothing a PNG needs: file-type does not call it a PNG, so neither do we.
    const magicOnly = Buffer.concat([Buffer.from('\u0089PNG\r\n\u001a\n', 'latin1'), Buffer.from('not a chunk in sight')]);
    expect((await processed(magicOnly)).result).toMatchObject({ ok: true, kind: 'file', type: 'application/octet-stream' });
  });

  it('refuses an empty file', async () => {
    expect((await processed(Buffer.alloc(0))).result).toEqual({ ok: false, reason: 'empty', message: 'The file is empty.' });
  });

  it('types unknown bytes as application/octet-stream and text as text/plain', async () => {
    expect((await processed(Buffer.from([0x00, 0xff, 0x13, 0x37, 0x00, 0x01]))).result).toMatchObject({ kind: 'file', type: 'application/octet-stream' });
    expect((await processed(Buffer.from('just some notes, ünïcödé\n'))).result).toMatchObject({ kind: 'file', type: 'text/plain' });
  });

  it('rejects with FileNotFoundError for a key that was never staged', async () => {
    await expect(processUpload(backend.storage, 'never-staged', LIMITS)).rejects.toBeInstanceOf(FileNotFoundError);
  });
});
