import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ApiDeps, DATABASE_RETRY_AFTER_SECONDS, type DrainGate, isDatabaseUnavailable } from '@chat/api';
import { type DataStore, DEFAULT_FILE_LIMITS, type FileLimits, type FileStorage } from '@chat/files';
import type { Logger } from '../../observability/logger';
import { createAvatarHandler } from './avatars';
import { createDownloadHandler } from './downloads';
import { refuse } from './file-responses';
import { createUploadEndpoint } from './uploads';

/** Where files live and what an image may cost to check (the server's composition root makes these). */
export interface FileServing {
  storage: FileStorage;
  tusStore: DataStore;
  imageLimits?: FileLimits;
  /** How often unsent uploads are swept and failed erases retried (default a minute). */
  sweepMs?: number;
}

const UPLOAD = /^\/files\/uploads(?:\/([^/]*))?$/;
const DOWNLOAD = /^\/files\/([0-9a-f]{32})(\/thumbnail)?$/;
const AVATAR = /^\/files\/avatars\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/([0-9a-f]{32})(\/small)?$/;
const SWEEP_MS = 60_000;

/** Everything under /files/ (docs/decisions/137-files-served-and-read.md), and the sweep that keeps storage to what is in use. */
export function createFilesHandler(opts: { deps: ApiDeps; files: FileServing; allowedOrigins: readonly string[]; drain: DrainGate; logger: Logger }) {
  const { deps, files, logger } = opts;
  const uploads = createUploadEndpoint({
    deps,
    storage: files.storage,
    tusStore: files.tusStore,
    imageLimits: files.imageLimits ?? DEFAULT_FILE_LIMITS,
    allowedOrigins: opts.allowedOrigins,
    drain: opts.drain,
    logger,
  });
  const download = createDownloadHandler({ deps, storage: files.storage, logger });
  const avatar = createAvatarHandler({ deps, storage: files.storage, logger });
  const sweep = setInterval(() => {
    deps.fileErasure.sweep(deps.files.unsentTtlSeconds).catch((error: unknown) => logger.warn({ err: error }, 'file sweep failed'));
  }, files.sweepMs ?? SWEEP_MS);
  sweep.unref();
  // Erases left queued by a crash or a storage outage before this start.
  deps.fileErasure.kick();

  return {
    /** Answers a request under /files/. */
    async handle(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
      try {
        const upload = UPLOAD.exec(pathname);
        if (upload) return await uploads.handle(req, res, upload[1] === undefined ? null : upload[1]);
        const file = DOWNLOAD.exec(pathname);
        if (file) return await download(req, res, file[1]!, file[2] ? 'thumbnail' : 'file');
        const face = AVATAR.exec(pathname);
        if (face) return await avatar(req, res, face[1]!, face[2]!, face[3] ? 'small' : 'large');
        refuse(res, 404, 'File not found');
      } catch (error) {
        // PostgreSQL down (every request checks access there): a 503 the tus clients retry, not a 500.
        if (!isDatabaseUnavailable(error)) throw error;
        logger.warn({ err: error, path: pathname }, 'file request refused: database unavailable');
        refuse(res, 503, 'The database is unavailable; try again in a moment (an upload resumes where it stopped)', { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) });
      }
    },
    close() {
      clearInterval(sweep);
    },
  };
}
