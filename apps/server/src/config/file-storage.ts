import { join } from 'node:path';
import type { StorageConfig } from '@chat/files';
import type { Env } from './env';

/** Where attachments live (FILE_STORAGE): the disk under DATA_DIR by default, or an S3-compatible store. */
export function storageConfigFromEnv(env: Env): StorageConfig {
  if (env.FILE_STORAGE === 'disk') return { kind: 'disk', dir: join(env.DATA_DIR, 'files') };
  return {
    kind: 's3',
    bucket: env.S3_BUCKET!,
    region: env.S3_REGION,
    forcePathStyle: env.S3_FORCE_PATH_STYLE,
    ...(env.S3_ENDPOINT ? { endpoint: env.S3_ENDPOINT } : {}),
    ...(env.S3_ACCESS_KEY_ID ? { accessKeyId: env.S3_ACCESS_KEY_ID } : {}),
    ...(env.S3_SECRET_ACCESS_KEY ? { secretAccessKey: env.S3_SECRET_ACCESS_KEY } : {}),
  };
}
