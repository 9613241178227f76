import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { ERRORS, type DataStore } from '@tus/utils';
import { mkdirSync } from 'node:fs';
import { DiskStorage } from './disk-storage';
import { ErasingS3Store, isMissing } from './erasing-s3-store';
import type { FileStorage, StorageConfig } from './file-storage';
import { S3Storage } from './s3-storage';
import { SealingFileStore } from './sealing-file-store';

/** The storage, and the tus DataStore writing uploads where `storage` reads them: an upload with id X is the object with key X. */
export function createStorage(config: StorageConfig): { storage: FileStorage; tusStore: DataStore } {
  if (config.kind === 'disk') {
    // FileStore creates its directory in a callback that throws on failure (an uncaught exception): made here
    // first, synchronously, so a bad DATA_DIR fails at start with a plain error instead.
    mkdirSync(config.dir, { recursive: true, mode: 0o700 });
    return { storage: new DiskStorage(config.dir), tusStore: new SealingFileStore({ directory: config.dir }) };
  }
  const clientConfig = s3ClientConfig(config);
  const tusStore = new ErasingS3Store({ s3ClientConfig: { ...clientConfig, bucket: config.bucket } });
  const dropUpload = async (key: string): Promise<void> => {
    try {
      await tusStore.remove(key);
    } catch (error) {
      // No tus upload of that id (or it is gone already): nothing to abort.
      if (error !== ERRORS.FILE_NOT_FOUND && !isMissing(error)) throw error;
    }
  };
  return { storage: new S3Storage(new S3Client(clientConfig), config.bucket, dropUpload), tusStore };
}

function s3ClientConfig(config: Extract<StorageConfig, { kind: 's3' }>): S3ClientConfig {
  return {
    endpoint: config.endpoint,
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    credentials:
      config.accessKeyId && config.secretAccessKey
        ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey }
        : undefined,
    // The SDK's default adds CRC32 checksums in aws-chunked trailers to every upload, which many S3-compatible
    // stores do not understand (they store the chunk framing as data): checksums only where the API requires one.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}
