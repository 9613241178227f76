import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, type Backend } from '../testing/storage-backends';
import { FileNotFoundError, InvalidKeyError } from './file-storage';

const bytes = (text: string) => Readable.from([Buffer.from(text)]);

describe.each(BACKENDS)('$name storage', ({ start }) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await start();
  });
  afterAll(() => backend.close());

  it('writes a stream and reads it back whole, by range and by stat', async () => {
    const { storage } = backend;
    expect(await storage.write('round-trip', Readable.from([Buffer.from('hello '), Buffer.from('world')]), 'text/plain')).toEqual({ size: 11 });
    expect((await buffer(await storage.read('round-trip'))).toString()).toBe('hello world');
    expect((await buffer(await storage.read('round-trip', { start: 6, end: 10 }))).toString()).toBe('world');
    expect((await buffer(await storage.read('round-trip', { start: 0, end: 0 }))).toString()).toBe('h');
    expect(await storage.stat('round-trip')).toEqual({ size: 11 });
  });

  it('replaces an object written again under the same key', async () => {
    const { storage } = backend;
    await storage.write('replaced', bytes('first version, longer'));
    await storage.write('replaced', bytes('second'));
    expect((await buffer(await storage.read('replaced'))).toString()).toBe('second');
    expect(await storage.stat('replaced')).toEqual({ size: 6 });
  });

  it('removes an object and its thumbnail, and removing again is fine', async () => {
    const { storage } = backend;
    await storage.write('removed', bytes('bytes'));
    await storage.write('removed.thumb', bytes('thumb'));
    await storage.remove('removed');
    expect(await storage.stat('removed')).toBeNull();
    expect(await storage.stat('removed.thumb')).toBeNull();
    await expect(storage.remove('removed')).resolves.toBeUndefined();
    await expect(storage.remove('never-written')).resolves.toBeUndefined();
  });

  it('rejects a read of a missing key with FileNotFoundError, and stats it as null', async () => {
    await expect(backend.storage.read('missing')).rejects.toBeInstanceOf(FileNotFoundError);
    await expect(backend.storage.read('missing', { start: 0, end: 3 })).rejects.toBeInstanceOf(FileNotFoundError);
    expect(await backend.storage.stat('missing')).toBeNull();
  });

  it('refuses keys that could name a path outside the store, before any I/O', async () => {
    const { storage } = backend;
    for (const key of ['../escape', '..', '.hidden', 'a/b', '/etc/passwd', '', 'nul\u0000byte', 'x'.repeat(221)]) {
      await expect(storage.write(key, bytes('x'))).rejects.toBeInstanceOf(InvalidKeyError);
      await expect(storage.read(key)).rejects.toBeInstanceOf(InvalidKeyError);
      await expect(storage.stat(key)).rejects.toBeInstanceOf(InvalidKeyError);
      await expect(storage.remove(key)).rejects.toBeInstanceOf(InvalidKeyError);
    }
  });

  it('refuses a byte range that is negative, reversed or not whole numbers', async () => {
    const { storage } = backend;
    await storage.write('ranged', bytes('0123456789'));
    for (const range of [{ start: -1, end: 3 }, { start: 5, end: 2 }, { start: 0.5, end: 3 }, { start: Number.NaN, end: 1 }]) {
      await expect(storage.read('ranged', range)).rejects.toBeInstanceOf(RangeError);
    }
  });

  it('passes a failing source on as a failed write, leaving no object behind', async () => {
    const { storage } = backend;
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(1024, 1));
        this.destroy(new Error('client went away'));
      },
    });
    await expect(storage.write('interrupted', failing)).rejects.toThrow('client went away');
    expect(await storage.stat('interrupted')).toBeNull();
  });
});
