import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AVATAR_TICKET_TTL_SECONDS, AVATARS_SCOPE, type ApiDeps, createServices } from '@chat/api';
import { AVATAR_TYPE, FileNotFoundError, type FileStorage, thumbnailKey } from '@chat/files';
import type { Logger } from '../../observability/logger';
import { fileReader } from './downloads';
import { contentDisposition, FILE_CSP, refuse } from './file-responses';

/**
 * GET /files/avatars/<userId>/<version>[/small] (docs/decisions/143-avatars.md): any signed-in user (a bearer
 * token, or an avatar ticket from user.avatarTicket) reads a user's current avatar; an old version, a deleted
 * account's or one never set is 404. Only the users table maps a version to bytes, so no attachment is ever
 * reachable here, whatever id is put in the URL.
 */
export function createAvatarHandler(opts: { deps: ApiDeps; storage: FileStorage; logger: Logger }) {
  const { deps, storage, logger } = opts;
  return async (req: IncomingMessage, res: ServerResponse, userId: string, version: string, size: 'large' | 'small'): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Avatars are read with GET', { Allow: 'GET, HEAD' });
    const reader = await fileReader(deps, req, res, deps.avatarTickets, (scope) => scope === AVATARS_SCOPE);
    if (reader === null) return;
    if (!(await createServices(deps).users.isCurrentAvatar(userId, version))) return refuse(res, 404, 'Avatar not found');
    const key = size === 'small' ? thumbnailKey(version) : version;
    let body: Readable;
    let length: number;
    try {
      const stored = await storage.stat(key);
      if (!stored) return refuse(res, 404, 'Avatar not found');
      length = stored.size;
      body = req.method === 'HEAD' ? (null as unknown as Readable) : await storage.read(key);
    } catch (error) {
      if (error instanceof FileNotFoundError) return refuse(res, 404, 'Avatar not found');
      throw error;
    }
    res.writeHead(200, {
      'Content-Type': AVATAR_TYPE,
      'Content-Length': String(length),
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': FILE_CSP,
      'Content-Disposition': contentDisposition('inline', 'avatar.webp'),
      // A version's bytes never change (a new picture is a new version), so the browser may keep them while its ticket lives.
      'Cache-Control': `private, max-age=${AVATAR_TICKET_TTL_SECONDS}`,
      'Referrer-Policy': 'no-referrer',
    });
    if (req.method === 'HEAD') return void res.end();
    try {
      await pipeline(body, res);
    } catch (error) {
      if (!res.destroyed) logger.warn({ err: error, userId }, 'avatar download failed mid-stream');
      res.destroy();
    }
  };
}
