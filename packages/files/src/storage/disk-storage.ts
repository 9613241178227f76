import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { byteCounter } from './byte-counter';
import { assertValidKey, assertValidRange, FileNotFoundError, thumbnailKey, type FileStorage } from './file-storage';

/**
 * Objects as files in one directory, named by their key; the tus FileStore writes its uploads into the same
 * directory (`<id>` and its `<id>.json` info file), so a finished upload is the object with key `<id>`.
 */
export class DiskStorage implements FileStorage {
  constructor(private readonly dir: string) {}

  async write(key: string, body: Readable, _contentType?: string): Promise<{ size: number }> {
    assertValidKey(key);
    await mkdir(this.dir, { recursive: true });
    // Written beside the target and renamed over it: a reader of the old bytes (processUpload re-encoding in
    // place) keeps its open file, and no one ever reads half a file. The temporary name starts with '.', which no
    // key may, so it can never collide with an object.
    const temporary = join(this.dir, `.${key}.${randomBytes(6).toString('hex')}.partial`);
    const counter = byteCounter();
    try {
      await pipeline(body, counter.stream, createWriteStream(temporary, { flags: 'wx', mode: 0o600 }));
      await rename(temporary, this.path(key));
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    return { size: counter.bytes() };
  }

  async read(key: string, range?: { start: number; end: number }): Promise<Readable> {
    assertValidKey(key);
    assertValidRange(range);
    // Opened first, so a missing file is a FileNotFoundError here rather than an error event on the stream.
    const handle = await open(this.path(key), 'r').catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'ENOENT' || error.code === 'EISDIR' ? new FileNotFoundError(key) : error;
    });
    return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  async stat(key: string): Promise<{ size: number } | null> {
    assertValidKey(key);
    try {
      const info = await stat(this.path(key));
      return info.isFile() ? { size: info.size } : null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async remove(key: string): Promise<void> {
    assertValidKey(key);
    // The tus FileStore keeps the upload's metadata (its file name among them) in `<id>.json`.
    const paths = [key, `${key}.json`, thumbnailKey(key)].map((name) => this.path(name));
    await Promise.all(paths.map((path) => rm(path, { force: true })));
  }

  private path(key: string): string {
    return join(this.dir, key);
  }
}
