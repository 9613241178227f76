import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { thumbnailKey } from '../storage/file-storage';
import { BACKENDS, type Backend } from '../testing/storage-backends';
import { makeAvatar } from './make-avatar';
import { processUpload } from './process-upload';

const LIMITS = { maxPixels: 50_000_000, maxDimension: 16_000, thumbnailSize: 256 };

describe.each(BACKENDS)('makeAvatar on $name', ({ start }) => {
  let backend: Backend;
  let next = 0;
  beforeAll(async () => {
    backend = await start();
  });
  afterAll(() => backend.close());

  it('crops a wide photo to a centred square in two sizes, with no metadata left', async () => {
    // Left third red, middle third green, right third blue: a centre crop keeps only green.
    const width = 900;
    const height = 300;
    const pixels = Buffer.alloc(width * height * 3);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) pixels[(y * width + x) * 3 + Math.floor((x * 3) / width)] = 255;
    }
    const jpeg = await sharp(pixels, { raw: { width, height, channels: 3 } })
      .jpeg()
      .withExif({ IFD0: { Copyright: 'secret place' } })
      .toBuffer();
    const key = `avatar-${next++}`;
    await backend.storage.write(key, Readable.from([jpeg]));
    const checked = await processUpload(backend.storage, key, LIMITS);
    expect(checked.ok).toBe(true);

    const avatar = await makeAvatar(backend.storage, key);
    expect(avatar).toMatchObject({ width: 256, height: 256, thumbnail: { key: thumbnailKey(key), width: 64, height: 64, type: 'image/webp' } });
    for (const [k, size] of [[key, 256], [thumbnailKey(key), 64]] as const) {
      const bytes = await buffer(await backend.storage.read(k));
      const meta = await sharp(bytes).metadata();
      expect(meta).toMatchObject({ format: 'webp', width: size, height: size });
      expect(meta.exif).toBeUndefined();
      const { data } = await sharp(bytes).resize(1, 1).raw().toBuffer({ resolveWithObject: true });
      // Green: the middle third, not an average with the red and blue sides.
      expect(data[1]).toBeGreaterThan(200);
      expect(data[0]).toBeLessThan(40);
      expect(data[2]).toBeLessThan(40);
    }
  });

  it('keeps only the first frame of an animated GIF', async () => {
    const frames = Buffer.alloc(40 * 40 * 4 * 3, 255);
    const gif = await sharp(frames, { raw: { width: 40, height: 120, channels: 4 } }).gif().toBuffer();
    const key = `avatar-${next++}`;
    await backend.storage.write(key, Readable.from([gif]));
    await makeAvatar(backend.storage, key);
    const meta = await sharp(await buffer(await backend.storage.read(key)), { animated: true }).metadata();
    expect(meta.pages ?? 1).toBe(1);
    expect(meta.width).toBe(256);
  });
});
