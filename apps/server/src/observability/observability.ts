import { createHash, timingSafeEqual } from 'node:crypto';
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
  /** GET /metrics wants `Authorization: Bearer <this>`; null (the default) turns /metrics off (404). */
  metricsToken?: string | null;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Compares digests, so neither the token's length nor its prefix shows in the timing. */
function bearerMatches(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? '';
  return header.startsWith('Bearer ') && timingSafeEqual(digest(header.slice('Bearer '.length).trim()), digest(token));
}

/** What the chat server calls to log, count and answer /metrics and /readyz. */
export function createObservability({ logger, identity, readiness, metrics = createMetrics(), metricsToken = null }: ObservabilityOptions) {
  return {
    metrics,
    requests: createRequestLog(logger, identity, metrics),
    sockets: createSocketLog(logger, identity, metrics),

    /** Answers GET /metrics and /readyz; false for every other path. */
    async serve(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
      if (pathname === '/metrics') {
        // Auth failures and limit refusals by kind are a map for an attacker: private unless configured.
        if (!metricsToken) {
          res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found (set METRICS_TOKEN to serve /metrics)\n');
          return true;
        }
        if (!bearerMatches(req, metricsToken)) {
          res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8', 'WWW-Authenticate': 'Bearer realm="metrics"' }).end('Send Authorization: Bearer <METRICS_TOKEN>\n');
          return true;
        }
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
