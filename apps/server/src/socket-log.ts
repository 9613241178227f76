import type { IncomingMessage } from 'node:http';
import { CLOSE_CODES, type RequestIdentity } from '@chat/api';
import type { WebSocket } from 'ws';
import type { Logger } from './logger';
import type { ChatMetrics } from './metrics';

/**
 * A log line when a WebSocket opens and when it closes (with its user, once known), and the
 * open-sockets and users-online gauges. connectionParams (the token) are never read here.
 */
export function createSocketLog(logger: Logger, identity: RequestIdentity, metrics: ChatMetrics) {
  const connectionIds = new WeakMap<WebSocket, string>();
  const userOf = new WeakMap<WebSocket, string>();
  const socketsPerUser = new Map<string, number>();
  const setUsersOnline = () => metrics.usersOnline.set(socketsPerUser.size);

  return {
    track(socket: WebSocket, req: IncomingMessage) {
      const connectionId = identity.requestId(req);
      connectionIds.set(socket, connectionId);
      const opened = Date.now();
      metrics.openSockets.inc();
      logger.info({ connectionId, ip: identity.ip(req), origin: req.headers.origin ?? null }, 'socket open');
      socket.once('close', (code: number) => {
        metrics.openSockets.dec();
        const userId = userOf.get(socket) ?? null;
        if (userId) {
          const left = (socketsPerUser.get(userId) ?? 1) - 1;
          if (left > 0) socketsPerUser.set(userId, left);
          else socketsPerUser.delete(userId);
          setUsersOnline();
        }
        if (code === CLOSE_CODES.authTimeout) metrics.authFailures.inc({ kind: 'socket-timeout' });
        logger.info({ connectionId, userId, code, durationMs: Date.now() - opened }, 'socket closed');
      });
    },
    authenticated(socket: WebSocket, userId: string) {
      if (userOf.has(socket)) return;
      userOf.set(socket, userId);
      socketsPerUser.set(userId, (socketsPerUser.get(userId) ?? 0) + 1);
      setUsersOnline();
      logger.debug({ connectionId: connectionIds.get(socket), userId }, 'socket authenticated');
    },
  };
}
