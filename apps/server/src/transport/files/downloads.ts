import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AccountBannedError, authenticate, createServices, type ApiDeps, DomainError, SessionEndedError } from '@chat/api';
import { FileNotFoundError, type FileStorage } from '@chat/files';
import type { Logger } from '../../observability/logger';
import { contentDisposition, FILE_CSP, parseRange, refuse } from './file-responses';

/** Raster types the server re-encoded itself: shown inline. Anything else is a download. */
const INLINE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif']);

const bearerToken = (req: IncomingMessage) => {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : null;
};

/**
 * Who reads: the user of a valid ticket that `fits` what is asked for, or of a bearer token, charged one
 * file request; null after a refusal already sent (401 without valid credentials, 403 for a banned
 * account, 429 over the file-request limit). Every read under /files/ passes here, so none escapes the limit.
 */
export async function fileReader(deps: ApiDeps, req: IncomingMessage, res: ServerResponse, tickets: ApiDeps['fileTickets'], fits: (scope: string) => boolean): Promise<string | null> {
  const userId = await credentialsOf(deps, req, res, tickets, fits);
  if (userId === null) return null;
  try {
    await deps.limits.consumeFileRequest(userId);
    return userId;
  } catch (error) {
    if (error instanceof DomainError && error.code === 'TOO_MANY_REQUESTS') {
      refuse(res, 429, error.message, { 'Retry-After': String(error.retryAfterSeconds ?? 1) });
      return null;
    }
    throw error;
  }
}

async function credentialsOf(deps: ApiDeps, req: IncomingMessage, res: ServerResponse, tickets: ApiDeps['fileTickets'], fits: (scope: string) => boolean): Promise<string | null> {
  const ticket = new URL(req.url ?? '/', 'http://localhost').searchParams.get('ticket');
  if (ticket !== null) {
    const claims = await tickets.verify(ticket);
    // A ticket reads what it was made for.
    if (claims && fits(claims.attachmentId)) return claims.userId;
    refuse(res, 401, 'This file link has expired or is not valid; open the file from the chat again');
    return null;
  }
  const token = bearerToken(req);
  if (!token) {
    refuse(res, 401, 'Log in to read files: send Authorization: Bearer <token>, or use a link from file.ticket', { 'WWW-Authenticate': 'Bearer' });
    return null;
  }
  try {
    const user = await authenticate(deps, token);
    if (user) return user.userId;
  } catch (error) {
    if (error instanceof AccountBannedError) {
      refuse(res, 403, error.message);
      return null;
    }
    if (error instanceof SessionEndedError) {
      refuse(res, 401, error.message, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
      return null;
    }
    throw error;
  }
  refuse(res, 401, 'Your session token is invalid, expired or revoked; log in again', { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
  return null;
}

/**
 * GET /files/<id> and /files/<id>/thumbnail: the caller (a bearer token, or a ticket from file.ticket) must
 * may read the attachment now, judged on every request (docs/decisions/137-files-served-and-read.md):
 * 401 without valid credentials, 404 for anything they may not know of.
 */
export function createDownloadHandler(opts: { deps: ApiDeps; storage: FileStorage; logger: Logger }) {
  const { deps, storage, logger } = opts;
  const reader = (req: IncomingMessage, res: ServerResponse, attachmentId: string) => fileReader(deps, req, res, deps.fileTickets, (scope) => scope === attachmentId);

  return async (req: IncomingMessage, res: ServerResponse, attachmentId: string, part: 'file' | 'thumbnail'): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      refuse(res, 405, 'Files are read with GET', { Allow: 'GET, HEAD' });
      return;
    }
    const userId = await reader(req, res, attachmentId);
    if (userId === null) return;
    const file = await createServices(deps).files.readable(userId, attachmentId);
    const thumbnail = part === 'thumbnail' ? file?.thumbnail : null;
    if (!file || file.type === null || (part === 'thumbnail' && !thumbnail)) {
      refuse(res, 404, 'File not found');
      return;
    }
    const key = thumbnail ? thumbnail.key : file.id;
    const type = thumbnail ? thumbnail.type : file.type;
    const stored = await storage.stat(key);
    if (!stored) {
      // The row is there but the bytes are not (an erase in progress): as good as gone.
      refuse(res, 404, 'File not found');
      return;
    }
    const inline = file.kind === 'image' && INLINE_TYPES.has(type);
    // A ready file's bytes never change and its id is never reused: the id names the version.
    const etag = `"${file.id}${thumbnail ? '.thumb' : ''}-${stored.size}"`;
    const headers: Record<string, string> = {
      'Content-Type': type,
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': FILE_CSP,
      'Content-Disposition': contentDisposition(inline ? 'inline' : 'attachment', thumbnail ? `thumbnail-${file.name}` : file.name),
      // docs/decisions/142-file-caching.md: a shared cache never keeps a file; a browser keeps an image
      // but asks again on every use (the access check runs, a 304 saves the bytes), and keeps no download.
      'Cache-Control': inline ? 'private, no-cache' : 'private, no-store',
      ...(inline ? { ETag: etag } : {}),
      'Accept-Ranges': 'bytes',
      // Never the Referer of a file URL (it may carry a ticket) to wherever a file links.
      'Referrer-Policy': 'no-referrer',
    };
    if (inline && ifNoneMatch(req.headers['if-none-match'], etag)) {
      // The reader may read it (checked above): their copy is current.
      const { 'Content-Disposition': _d, ...kept } = headers;
      res.writeHead(304, kept).end();
      return;
    }
    const range = parseRange(req.headers.range, stored.size);
    if (range === 'unsatisfiable') {
      refuse(res, 416, 'The range asked for is outside the file', { 'Content-Range': `bytes */${stored.size}` });
      return;
    }
    const status = range ? 206 : 200;
    if (range) headers['Content-Range'] = `bytes ${range.start}-${range.end}/${stored.size}`;
    headers['Content-Length'] = String(range ? range.end - range.start + 1 : stored.size);
    if (req.method === 'HEAD' || stored.size === 0) {
      res.writeHead(status, headers).end();
      return;
    }
    let body: Readable;
    try {
      body = await storage.read(key, range ?? undefined);
    } catch (error) {
      if (error instanceof FileNotFoundError) return refuse(res, 404, 'File not found');
      throw error;
    }
    res.writeHead(status, headers);
    try {
      await pipeline(body, res);
    } catch (error) {
      // The reader went away mid-file (or the store failed after the headers): nothing more to tell them.
      if (!res.destroyed) logger.warn({ err: error, attachmentId }, 'file download failed mid-stream');
      res.destroy();
    }
  };
}

/** Whether an If-None-Match header names `etag` (or is `*`); weak and strong forms compare alike (RFC 9110 13.1.2). */
function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}
