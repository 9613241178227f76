import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataStore } from '@tus/utils';
import { createStorage } from '../storage/create-storage';
import type { FileStorage } from '../storage/file-storage';
import { startS3TestServer } from './s3-test-server';

export type Backend = { storage: FileStorage; tusStore: DataStore; close(): Promise<void> };

/** Each storage backend, started fresh: the local disk in a temporary directory, and S3 on a real S3-protocol server. */
export const BACKENDS: ReadonlyArray<{ name: string; start(): Promise<Backend> }> = [
  {
    name: 'disk',
    async start() {
      const dir = await mkdtemp(join(tmpdir(), 'files-disk-'));
      return { ...createStorage({ kind: 'disk', dir }), close: () => rm(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 's3',
    async start() {
      const server = await startS3TestServer();
      return { ...createStorage(server.config), close: () => server.close() };
    },
  },
];
