import type { IncomingMessage } from 'node:http';
import { CLOSE_CODES, type RequestIdentity } from '@chat/api';
import type { Logger } from './logger';
import type { ChatMetrics } from './metrics';

/** What the log needs of a socket; the server's per-socket record has it, so nothing is kept here. */
export interface LoggedSocket {
  readonly connectionId: string;
  readonly openedAt: number;
  readonly user: { userId: string } | null;
}

/**
 * A log line when a WebSocket opens and when it closes (with its user, once known), and the
 * open-sockets and users-online gauges. connectionParams (the token) are never read here.
 */
export function createSocketLog(logger: Logger, identity: RequestIdentity, metrics: ChatMetrics) {
  const socketsPerUser = new Map<string, number>();
  const setUsersOnline = () => metrics.usersOnline.set(socketsPerUser.size);

  return {
    /** `req` is the upgrade request, read here and not kept. */
    opened(socket: LoggedSocket, req: IncomingMessage) {
      metrics.openSockets.inc();
      logger.info({ connectionId: socket.connectionId, ip: identity.ip(req), origin: req.headers.origin ?? null }, 'socket open');
    },
    /** Call once per socket, when its user is known. */
    authenticated(socket: LoggedSocket) {
      if (!socket.user) return;
      const { userId } = socket.user;
      socketsPerUser.set(userId, (socketsPerUser.get(userId) ?? 0) + 1);
      setUsersOnline();
      logger.debug({ connectionId: socket.connectionId, userId }, 'socket authenticated');
    },
    closed(socket: LoggedSocket, code: number) {
      metrics.openSockets.dec();
      const userId = socket.user?.userId ?? null;
      if (userId) {
        const left = (socketsPerUser.get(userId) ?? 1) - 1;
        if (left > 0) socketsPerUser.set(userId, left);
        else socketsPerUser.delete(userId);
        setUsersOnline();
      }
      if (code === CLOSE_CODES.authTimeout) metrics.authFailures.inc({ kind: 'socket-timeout' });
      logger.info({ connectionId: socket.connectionId, userId, code, durationMs: Date.now() - socket.openedAt }, 'socket closed');
    },
  };
}
