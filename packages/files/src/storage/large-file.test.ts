import { createHash, randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleHeap } from '../testing/heap-sampling';
import { BACKENDS, type Backend } from '../testing/storage-backends';

const MB = 1024 * 1024;
const FILE_BYTES = 100 * MB;
const CHUNK = 64 * 1024;
// Far below the file: a store that buffered the file whole would pass these by 36 MB and more. Buffer memory
// (arrayBuffers) is released after collection with some lag, so its measure is noisier (2 to 32 MB seen) than the
// heap's (under 3 MB): its limit is looser.
const HEAP_GROWTH_LIMIT = 30 * MB;
const BUFFER_GROWTH_LIMIT = 64 * MB;

/** The 100 MB are made 64 KB at a time and hashed on the way, so the test itself never holds them either. */
function generated(hash: ReturnType<typeof createHash>): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= FILE_BYTES) return void this.push(null);
      const chunk = randomBytes(CHUNK);
      hash.update(chunk);
      sent += CHUNK;
      this.push(chunk);
    },
  });
}

describe.each(BACKENDS)('a 100 MB file on $name', ({ name, start }) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await start();
  });
  afterAll(() => backend.close());

  it('is written and read back as streams, the heap staying flat', async () => {
    const { storage } = backend;
    const written = createHash('sha256');
    const writeGrowth = await sampleHeap(async () => {
      expect(await storage.write('large', generated(written))).toEqual({ size: FILE_BYTES });
    });

    const read = createHash('sha256');
    let readBytes = 0;
    const readGrowth = await sampleHeap(async () => {
      const sink = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          read.update(chunk);
          readBytes += chunk.length;
          callback();
        },
      });
      await pipeline(await storage.read('large'), sink);
    });

    console.info(`100 MB on ${name}: write grew heap ${(writeGrowth.heap / MB).toFixed(1)} MB, buffers ${(writeGrowth.buffers / MB).toFixed(1)} MB; read ${(readGrowth.heap / MB).toFixed(1)} / ${(readGrowth.buffers / MB).toFixed(1)} MB`);
    expect(readBytes).toBe(FILE_BYTES);
    expect(read.digest('hex')).toBe(written.digest('hex'));
    for (const growth of [writeGrowth, readGrowth]) {
      expect(growth.heap).toBeLessThan(HEAP_GROWTH_LIMIT);
      expect(growth.buffers).toBeLessThan(BUFFER_GROWTH_LIMIT);
    }
  }, 120_000);
});
