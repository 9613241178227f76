import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { Upload } from '@tus/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, type Backend } from '../testing/storage-backends';

const MB = 1024 * 1024;

describe.each(BACKENDS)('the tus store over $name', ({ start }) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await start();
  });
  afterAll(() => backend.close());

  it('stores an upload written in pieces, resumed from the offset the store reports, as the object with its id', async () => {
    const { tusStore, storage } = backend;
    // 1 MB first (under S3's 5 MB part minimum, so the S3 store keeps it aside as an incomplete part), then 7 MB
    // and 2 MB, each write starting where the store says the last one ended, as a client resuming after a cut does.
    const pieces = [randomBytes(1 * MB), randomBytes(7 * MB), randomBytes(2 * MB)];
    const whole = Buffer.concat(pieces);
    const id = randomBytes(16).toString('hex');
    await tusStore.create(new Upload({ id, size: whole.length, offset: 0, metadata: { filename: 'photo.png', roomId: '1' } }));
    for (const piece of pieces) {
      const { offset } = await tusStore.getUpload(id);
      await tusStore.write(Readable.from([piece]), id, offset);
    }
    expect((await tusStore.getUpload(id)).offset).toBe(whole.length);
    expect(await storage.stat(id)).toEqual({ size: whole.length });
    expect((await buffer(await storage.read(id))).equals(whole)).toBe(true);
    expect((await buffer(await storage.read(id, { start: MB - 2, end: MB + 1 }))).equals(whole.subarray(MB - 2, MB + 2))).toBe(true);
  });

  it('keeps a finished upload finished after its bytes are rewritten in place, so no PATCH can append to them', async () => {
    const { tusStore, storage } = backend;
    const id = randomBytes(16).toString('hex');
    await tusStore.create(new Upload({ id, size: 1000, offset: 0, metadata: { filename: 'big.png' } }));
    await tusStore.write(Readable.from([randomBytes(1000)]), id, 0);
    // processUpload re-encodes an image under the same key, usually to another size.
    await storage.write(id, Readable.from([randomBytes(400)]));
    expect(await tusStore.getUpload(id)).toMatchObject({ size: 1000, offset: 1000 });
  });

  it('erases a finished upload with its bookkeeping (which holds the file name) through storage.remove', async () => {
    const { tusStore, storage } = backend;
    const id = randomBytes(16).toString('hex');
    await tusStore.create(new Upload({ id, size: 5, offset: 0, metadata: { filename: 'secret-name.txt' } }));
    await tusStore.write(Readable.from([Buffer.from('hello')]), id, 0);
    await storage.remove(id);
    expect(await storage.stat(id)).toBeNull();
    await expect(tusStore.getUpload(id)).rejects.toMatchObject({ status_code: 404 });
  });

  it('erases an unfinished upload through storage.remove, so it cannot be resumed', async () => {
    const { tusStore, storage } = backend;
    const id = randomBytes(16).toString('hex');
    await tusStore.create(new Upload({ id, size: 10 * MB, offset: 0, metadata: { filename: 'half.bin' } }));
    await tusStore.write(Readable.from([randomBytes(6 * MB)]), id, 0);
    await storage.remove(id);
    await expect(tusStore.getUpload(id)).rejects.toMatchObject({ status_code: 404 });
    expect(await storage.stat(id)).toBeNull();
  });
});
