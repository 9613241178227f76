import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import type { StorageConfig } from '../storage/file-storage';

// s3rver 3.7.1 answers the S3 protocol from a directory, but lacks two multipart operations that tus's S3 store
// calls on every PATCH and DELETE: ListParts and AbortMultipartUpload. They are added below from its own on-disk
// layout (uploads/<uploadId>/<partNumber> and .md5), as Koa middleware ahead of its router.
type KoaContext = {
  method: string;
  path: string;
  query: Record<string, string | undefined>;
  status: number;
  body: unknown;
};
type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;
type S3rverInternals = {
  middleware: Middleware[];
  store: { getResourcePath(bucket: string, key: string | undefined, resource: string): string };
};
type S3ErrorClass = new (code: string, message: string, detail?: Record<string, string>) => Error;

const require = createRequire(import.meta.url);
const S3Error = require('s3rver/lib/models/error') as S3ErrorClass;

export type S3TestServer = { config: Extract<StorageConfig, { kind: 's3' }>; directory: string; close(): Promise<void> };

/** A real S3-protocol server on a free port over a fresh temporary directory, with one bucket. */
export async function startS3TestServer(bucket = 'files'): Promise<S3TestServer> {
  const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
  const internals = server as unknown as S3rverInternals;
  // Before the router (the last middleware) and after s3rver's XML encoder, which turns a plain-object body into XML.
  internals.middleware.splice(internals.middleware.length - 1, 0, multipartExtras(internals.store));
  const address = await server.run();
  return {
    config: {
      kind: 's3',
      endpoint: `http://127.0.0.1:${address.port}`,
      bucket,
      region: 'us-east-1',
      forcePathStyle: true,
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
    },
    directory,
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

function multipartExtras(store: S3rverInternals['store']): Middleware {
  return async (ctx, next) => {
    const uploadId = ctx.query.uploadId;
    const match = /^\/([^/]+)\/(.+)$/.exec(ctx.path);
    const isList = ctx.method === 'GET';
    if (uploadId === undefined || !match || (!isList && ctx.method !== 'DELETE')) return next();
    const bucket = match[1]!;
    const key = decodeURIComponent(match[2]!);
    if (!/^[0-9a-f]+$/.test(uploadId)) throw new S3Error('NoSuchUpload', 'The specified upload does not exist.', { UploadId: uploadId });
    const uploadDir = join(store.getResourcePath(bucket, undefined, 'uploads'), uploadId);
    const names = await readdir(uploadDir).catch(() => undefined);
    if (!names) throw new S3Error('NoSuchUpload', 'The specified upload does not exist.', { UploadId: uploadId });
    if (!isList) {
      await rm(uploadDir, { recursive: true, force: true });
      ctx.status = 204;
      ctx.body = null;
      return;
    }
    const numbers = names.filter((name) => /^\d+$/.test(name)).map(Number).sort((a, b) => a - b);
    const marker = Number(ctx.query['part-number-marker'] ?? 0);
    const parts = await Promise.all(
      numbers
        .filter((number) => number > marker)
        .map(async (number) => {
          const info = await stat(join(uploadDir, String(number)));
          const md5 = await readFile(join(uploadDir, `${number}.md5`), 'utf8');
          return { PartNumber: number, LastModified: info.mtime.toISOString(), ETag: `"${md5}"`, Size: info.size };
        }),
    );
    ctx.body = {
      ListPartsResult: {
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        PartNumberMarker: marker,
        MaxParts: 10000,
        IsTruncated: false,
        ...(parts.length > 0 ? { Part: parts } : {}),
      },
    };
  };
}
