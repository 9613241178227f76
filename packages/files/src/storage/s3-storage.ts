import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Readable } from 'node:stream';
import { byteCounter } from './byte-counter';
import { byteSlice } from './byte-slice';
import { assertValidKey, assertValidRange, FileNotFoundError, thumbnailKey, type FileStorage } from './file-storage';

// lib-storage holds the part it sends and the one it fills: about 10 MB per write, whatever the object's size.
const PART_SIZE = 5 * 1024 * 1024;
const QUEUE_SIZE = 1;

/** Objects in one bucket of an S3-compatible store, named by their key (the tus S3Store completes uploads there). */
export class S3Storage implements FileStorage {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    /** Drops an unfinished tus upload of `key` (aborts its multipart upload); a no-op when there is none. */
    private readonly dropUpload: (key: string) => Promise<void>,
  ) {}

  async write(key: string, body: Readable, contentType?: string): Promise<{ size: number }> {
    assertValidKey(key);
    const counter = byteCounter();
    // A stream of unknown length cannot be a plain PUT (S3 wants its length first): lib-storage sends it as a
    // multipart upload part by part, or as one PUT when it ends within the first part.
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: body.pipe(counter.stream), ContentType: contentType },
      partSize: PART_SIZE,
      queueSize: QUEUE_SIZE,
    });
    // pipe() does not pass the source's error on: without this a failing source would leave the upload waiting.
    body.once('error', (error) => counter.stream.destroy(error));
    await upload.done();
    return { size: counter.bytes() };
  }

  async read(key: string, range?: { start: number; end: number }): Promise<Readable> {
    assertValidKey(key);
    assertValidRange(range);
    try {
      const response = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
      );
      const body = response.Body;
      if (!(body instanceof Readable)) throw new Error(`The S3 store answered ${key} without a body stream.`);
      if (!range) return body;
      // Exactly the bytes asked for, whatever the store sent: some S3-compatible servers answer part of a range
      // request with the whole object (s3rver reads `bytes=0-0` as "from 0 to the end").
      const sentFrom = Number(/^bytes (\d+)-/.exec(response.ContentRange ?? '')?.[1] ?? 0);
      const slice = byteSlice(Math.max(0, range.start - sentFrom), range.end - range.start + 1);
      body.once('error', (error) => slice.destroy(error));
      slice.once('close', () => body.destroy());
      return body.pipe(slice);
    } catch (error) {
      if (isNotFound(error)) throw new FileNotFoundError(key);
      // A range starting past the end: the object exists but has no such bytes, as reading past the end of a file.
      if (statusOf(error) === 416) return Readable.from([]);
      throw error;
    }
  }

  async stat(key: string): Promise<{ size: number } | null> {
    assertValidKey(key);
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: head.ContentLength ?? 0 };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async remove(key: string): Promise<void> {
    assertValidKey(key);
    await this.dropUpload(key);
    // The tus S3Store keeps `<id>.info` (the upload's metadata, its file name among them) and `<id>.part` (the
    // bytes of an unfinished last part); deleting a key that is not there is a success in S3.
    // One DeleteObject each rather than DeleteObjects, which demands a body checksum that not every S3-compatible
    // store computes the same way (Content-MD5 or CRC32).
    const keys = [key, `${key}.info`, `${key}.part`, thumbnailKey(key)];
    await Promise.all(keys.map((Key) => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key }))));
  }
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}

function isNotFound(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  // A missing bucket is a misconfiguration, not a missing file: it must not read as "no such file".
  if (name === 'NoSuchBucket') return false;
  return name === 'NoSuchKey' || name === 'NotFound' || statusOf(error) === 404;
}
