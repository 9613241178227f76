import type { Readable } from 'node:stream';

/** Where uploaded bytes live: the local disk or an S3-compatible store, behind the same four verbs. */
export interface FileStorage {
  /** Streams `body` to `key` (never buffering it whole); resolves with the bytes written. */
  write(key: string, body: Readable, contentType?: string): Promise<{ size: number }>;
  /** A stream of the object, or of bytes [start, end] inclusive; rejects with FileNotFoundError if absent. */
  read(key: string, range?: { start: number; end: number }): Promise<Readable>;
  stat(key: string): Promise<{ size: number } | null>;
  /**
   * Idempotent: removing what is not there is fine. Erases what we derive from the object too (its thumbnail
   * `${key}.thumb` and the tus upload's bookkeeping, which holds the file's name), so one call leaves nothing behind.
   */
  remove(key: string): Promise<void>;
}

export class FileNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`No stored file has the key ${JSON.stringify(key)}.`);
    this.name = 'FileNotFoundError';
  }
}

/** A key that could name something outside the store (a path, `..`, an empty string): refused before any I/O. */
export class InvalidKeyError extends Error {
  constructor(readonly key: string) {
    super(`${JSON.stringify(key.slice(0, 80))} is not a valid storage key (letters, digits, '.', '_' and '-', up to 220, not starting with '.').`);
    this.name = 'InvalidKeyError';
  }
}

export type StorageConfig =
  | { kind: 'disk'; dir: string }
  | {
      kind: 's3';
      endpoint?: string;
      bucket: string;
      region: string;
      forcePathStyle: boolean;
      accessKeyId?: string;
      secretAccessKey?: string;
    };

// One flat namespace of safe names: no '/', and no leading '.', so no key is a path, '..' or a hidden file.
const KEY = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,219}$/;

export function assertValidKey(key: string): void {
  if (typeof key !== 'string' || !KEY.test(key)) throw new InvalidKeyError(String(key));
}

/** The object a thumbnail of `key` is written to. */
export function thumbnailKey(key: string): string {
  return `${key}.thumb`;
}

export function assertValidRange(range: { start: number; end: number } | undefined): void {
  if (range === undefined) return;
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new RangeError(`Invalid byte range ${start}-${end}: start and end are integers with 0 <= start <= end.`);
  }
}
