import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestIdentity } from '@chat/api';
import type { TRPCError } from '@trpc/server';
import type { Logger } from './logger';
import { type ChatMetrics, createMetrics } from './metrics';
import { type ReadinessCheck, serveReadiness } from './readiness';
import { createRequestLog } from './request-log';
import { createSocketLog } from './socket-log';

export interface ObservabilityOptions {
  logger: Logger;
  identity: RequestIdentity;
  /** Dependencies /readyz checks, by name (database, redis, …). */
  readiness: Record<string, ReadinessCheck>;
  metrics?: ChatMetrics;
}

/** What the chat server calls to log, count and answer /metrics and /readyz. */
export function createObservability({ logger, identity, readiness, metrics = createMetrics() }: ObservabilityOptions) {
  return {
    metrics,
    requests: createRequestLog(logger, identity, metrics),
    sockets: createSocketLog(logger, identity, metrics),

    /** Answers GET /metrics and /readyz; false for every other path. */
    async serve(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
      if (pathname === '/metrics') {
        const body = await metrics.registry.metrics();
        res.writeHead(200, { 'Content-Type': metrics.registry.contentType, 'Cache-Control': 'no-store' }).end(body);
        return true;
      }
      if (pathname === '/readyz') {
        await serveReadiness(req, res, readiness);
        return true;
      }
      return false;
    },

    /** A refused token or password shows up as a tRPC UNAUTHORIZED error on one of the transports. */
    procedureError(error: TRPCError, transport: 'http' | 'ws', path: string | undefined) {
      if (error.code !== 'UNAUTHORIZED') return;
      const kind = path === 'auth.login' ? 'password' : transport === 'ws' && !path ? 'socket-token' : 'token';
      metrics.authFailures.inc({ kind });
    },
  };
}

export type Observability = ReturnType<typeof createObservability>;
