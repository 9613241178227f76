import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  AccountBannedError,
  authenticate,
  createServices,
  type ApiDeps,
  DATABASE_RETRY_AFTER_SECONDS,
  DomainError,
  type DrainGate,
  FileTooLargeError,
  isDatabaseUnavailable,
  SessionEndedError,
} from '@chat/api';
import { ATTACHMENT_ID_HEADER, UPLOADS_PATH } from '@chat/api/schemas';
import { type DataStore, type FileLimits, type FileStorage, makeAvatar, type ProcessedFile, processUpload } from '@chat/files';
import { Server as TusServer, type Upload } from '@tus/server';
import type { Logger } from '../../observability/logger';
import { isOriginAllowed } from '../origin';
import { FILE_CSP, refuse } from './file-responses';

const UPLOAD_ID = /^[0-9a-f]{32}$/;
/** Longest file name kept (the column's size); longer names are cut, not refused. */
const NAME_MAX = 255;
const ROOM_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What tus sends back when a hook throws: a status and the body the client shows. */
const tusRefusal = (status_code: number, sentence: string) => ({ status_code, body: `${sentence}\n` });

const HTTP_STATUS: Record<string, number> = { BAD_REQUEST: 400, UNAUTHORIZED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409, TOO_MANY_REQUESTS: 429, SERVICE_UNAVAILABLE: 503 };

const bearerToken = (req: IncomingMessage) => {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : null;
};

/** A file name as shown and offered on download: no control characters or path, never empty, bounded. */
export function cleanFileName(raw: string | null | undefined): string {
  // Control characters (C0, DEL, C1) and bidi overrides, which could disguise the name's real ending.
  const base = [...(raw ?? '').normalize('NFC')]
    .filter((c) => {
      const code = c.codePointAt(0)!;
      return code > 0x1f && !(code >= 0x7f && code <= 0x9f) && !(code >= 0x202a && code <= 0x202e) && !(code >= 0x2066 && code <= 0x2069);
    })
    .join('')
    .split(/[\\/]/)
    .pop() ?? '';
  const trimmed = [...base.trim()].slice(0, NAME_MAX).join('');
  return trimmed === '' || trimmed === '.' || trimmed === '..' ? 'file' : trimmed;
}

export interface UploadEndpoint {
  handle(req: IncomingMessage, res: ServerResponse, uploadId: string | null): Promise<void>;
}

/**
 * /files/uploads (tus 1.0, resumable; docs/decisions/137-files-served-and-read.md). Every request carries
 * the uploader's bearer token; an upload is created only for a member who may send in the room named in
 * its metadata, within the size limit, their quota and the upload rate, and later requests act only on
 * the caller's own unsent uploads. The last PATCH runs processUpload and answers with the attachment's id.
 */
export function createUploadEndpoint(opts: {
  deps: ApiDeps;
  storage: FileStorage;
  tusStore: DataStore;
  imageLimits: FileLimits;
  allowedOrigins: readonly string[];
  drain: DrainGate;
  logger: Logger;
}): UploadEndpoint {
  const { deps, storage, logger } = opts;
  /** Who sent each request being handled: tus's hooks get a web Request, whose node request keys this. */
  const uploaders = new WeakMap<IncomingMessage, { id: string; username: string }>();
  const uploaderOf = (req: unknown) => {
    const node = (req as { runtime?: { node?: { req?: IncomingMessage } } }).runtime?.node?.req;
    const user = node && uploaders.get(node);
    // Unreachable: handle() authenticates before tus sees the request.
    if (!user) throw tusRefusal(401, 'Log in to upload files');
    return user;
  };
  const files = () => createServices(deps).files;

  /** Erases a refused upload's bytes before answering, then its row (whose trigger queues a second, idempotent erase). */
  const discard = async (id: string) => {
    await storage.remove(id).catch((error: unknown) => logger.warn({ err: error, id }, 'could not erase a refused upload now; the sweep will'));
    await files().discardUpload(id);
  };

  const tus = new TusServer({
    path: UPLOADS_PATH,
    datastore: opts.tusStore,
    // A second lock behind the Upload-Length check in handle(): tus never accepts more than this.
    maxSize: deps.files.maxFileBytes,
    relativeLocation: true,
    respectForwardedHeaders: false,
    allowedOrigins: (origin) => opts.allowedOrigins.includes(origin),
    allowedHeaders: ['Authorization'],
    exposedHeaders: [ATTACHMENT_ID_HEADER],
    disableTerminationForFinishedUploads: true,
    // 128 random bits: the attachment's id and storage key, unguessable.
    namingFunction: () => randomBytes(16).toString('hex'),
    async onUploadCreate(req, upload) {
      const user = uploaderOf(req);
      // An avatar upload belongs to no room (docs/decisions/143-avatars.md): only user.setAvatar can take it.
      const avatar = upload.metadata?.purpose === 'avatar';
      const roomId = upload.metadata?.roomId ?? '';
      if (!avatar && !ROOM_ID.test(roomId)) throw tusRefusal(400, 'Say which room the file is for: Upload-Metadata needs roomId (or purpose avatar for a profile picture)');
      if (upload.size === undefined) throw tusRefusal(400, 'Send Upload-Length: the file size must be known when the upload starts');
      try {
        await files().beginUpload(user, { id: upload.id, roomId: avatar ? null : roomId.toLowerCase(), name: cleanFileName(upload.metadata?.filename), size: upload.size });
      } catch (error) {
        if (error instanceof FileTooLargeError) throw tusRefusal(413, error.message);
        if (error instanceof DomainError) throw tusRefusal(HTTP_STATUS[error.code] ?? 400, error.message);
        throw error;
      }
      return {};
    },
    async onUploadFinish(req, upload: Upload) {
      const user = uploaderOf(req);
      const avatar = (await files().ownUnsent(user, upload.id))?.roomId === null;
      let processed: ProcessedFile;
      try {
        processed = await processUpload(storage, upload.id, opts.imageLimits);
        if (avatar && processed.ok && processed.kind === 'image') {
          // Checked and re-encoded like any image first; then cropped square in its two sizes, in place.
          const square = await makeAvatar(storage, upload.id);
          processed = { ...processed, type: 'image/webp', animated: false, ...square };
        }
      } catch (error) {
        logger.error({ err: error, id: upload.id }, 'an upload could not be checked');
        await discard(upload.id);
        throw tusRefusal(500, 'The server could not check this file; upload it again');
      }
      if (!processed.ok) {
        await discard(upload.id);
        throw tusRefusal(422, processed.message);
      }
      if (avatar && processed.kind !== 'image') {
        await discard(upload.id);
        throw tusRefusal(422, 'A profile picture must be a PNG, JPEG, GIF or WebP image.');
      }
      const { type, size } = processed;
      const ready = await files().finishUpload(
        upload.id,
        processed.kind === 'image'
          ? { kind: 'image', type, size, width: processed.width, height: processed.height, animated: processed.animated, thumbnail: processed.thumbnail }
          : { kind: 'file', type, size },
      );
      if (!ready) {
        // Cancelled (or swept) while it was checked.
        await discard(upload.id);
        throw tusRefusal(410, 'This upload was cancelled');
      }
      return { headers: { [ATTACHMENT_ID_HEADER]: upload.id } };
    },
    onResponseError(_req, error) {
      if (isDatabaseUnavailable(error)) {
        logger.warn({ err: error }, 'upload step refused: database unavailable');
        // tus's error answer takes no headers; the node response under its Request does.
        (_req as { runtime?: { node?: { res?: ServerResponse } } }).runtime?.node?.res?.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
        return { status_code: 503, body: 'The database is unavailable; try again in a moment (the upload resumes where it stopped)\n' };
      }
      if (error instanceof Error) {
        logger.error({ err: error }, 'upload failed');
        return { status_code: 500, body: 'The upload failed on the server; try again\n' };
      }
      return undefined;
    },
  });

  return {
    async handle(req, res, uploadId) {
      res.setHeader('Content-Security-Policy', FILE_CSP);
      res.setHeader('Cache-Control', 'no-store');
      if (!isOriginAllowed(req, opts.allowedOrigins)) return refuse(res, 403, 'Uploads from this origin are not allowed');
      // CORS preflight: tus answers it (no credentials in it to check).
      if (req.method === 'OPTIONS') return tus.handle(req, res);
      if (opts.drain.draining) return refuse(res, 503, 'This server is shutting down; resume the upload in a moment', { 'Retry-After': '1' });
      if (uploadId !== null && !UPLOAD_ID.test(uploadId)) return refuse(res, 404, 'Upload not found');
      if ((uploadId === null) !== (req.method === 'POST')) return refuse(res, 405, uploadId === null ? 'Start an upload with POST' : 'Continue an upload with HEAD and PATCH, or cancel it with DELETE', { Allow: uploadId === null ? 'POST, OPTIONS' : 'HEAD, PATCH, DELETE, OPTIONS' });
      const token = bearerToken(req);
      let user: Awaited<ReturnType<typeof authenticate>>;
      try {
        user = token ? await authenticate(deps, token) : null;
      } catch (error) {
        if (error instanceof AccountBannedError) return refuse(res, 403, error.message);
        if (error instanceof SessionEndedError) return refuse(res, 401, error.message, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
        throw error;
      }
      if (!user) return refuse(res, 401, 'Log in to upload files: send Authorization: Bearer <token>', { 'WWW-Authenticate': 'Bearer' });
      const uploader = { id: user.userId, username: user.username };
      if (req.method === 'POST') {
        const length = req.headers['upload-length'];
        if (length === undefined) return refuse(res, 400, 'Send Upload-Length: the file size must be known when the upload starts');
        if (typeof length !== 'string' || !/^\d{1,15}$/.test(length)) return refuse(res, 400, 'Upload-Length must be a whole number of bytes');
        try {
          await files().admitUpload(uploader, Number(length));
        } catch (error) {
          if (error instanceof FileTooLargeError) return refuse(res, 413, error.message);
          if (error instanceof DomainError) {
            return refuse(res, HTTP_STATUS[error.code] ?? 400, error.message, error.retryAfterSeconds ? { 'Retry-After': String(error.retryAfterSeconds) } : {});
          }
          throw error;
        }
      } else {
        try {
          await deps.limits.consumeFileRequest(uploader.id);
        } catch (error) {
          if (error instanceof DomainError && error.retryAfterSeconds) return refuse(res, 429, error.message, { 'Retry-After': String(error.retryAfterSeconds) });
          throw error;
        }
        const own = await files().ownUnsent(uploader, uploadId!);
        // Someone else's upload, one already sent, or none: the same answer.
        if (!own) return refuse(res, 404, 'Upload not found');
        // A finished upload taken out of the composer: tus is done with it, the row and bytes go.
        if (req.method === 'DELETE' && own.status === 'ready') {
          await discard(own.id);
          res.writeHead(204, { 'Tus-Resumable': '1.0.0' }).end();
          return;
        }
      }
      uploaders.set(req, uploader);
      await opts.drain.track(() => tus.handle(req, res));
      if (req.method === 'DELETE' && res.statusCode === 204) await files().discardUpload(uploadId!);
    },
  };
}
