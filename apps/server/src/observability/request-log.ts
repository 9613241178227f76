import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestIdentity } from '@chat/api';
import type { Logger } from './logger';
import { type ChatMetrics, routeGroup } from './metrics';

/** Probes arrive every few seconds; their lines go to debug so they do not drown real traffic. */
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * One log line and one metrics sample per HTTP request, written when the response is done.
 * The line names the path without its query string, and no header: the Authorization header
 * (and anything a client might put in a URL) never reaches the log.
 */
export function createRequestLog(logger: Logger, identity: RequestIdentity, metrics: ChatMetrics) {
  const users = new WeakMap<IncomingMessage, string>();
  return {
    /** The user the request's bearer token named, once the tRPC context resolved it. */
    identify(req: IncomingMessage, userId: string | null | undefined) {
      if (userId) users.set(req, userId);
    },
    track(req: IncomingMessage, res: ServerResponse, pathname: string) {
      const started = process.hrtime.bigint();
      res.once('close', () => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const route = routeGroup(pathname);
        metrics.httpRequests.inc({ route, status: String(res.statusCode) });
        metrics.httpDuration.observe({ route }, seconds);
        const line = {
          requestId: identity.requestId(req),
          method: req.method,
          path: pathname,
          status: res.statusCode,
          durationMs: Math.round(seconds * 1e4) / 10,
          userId: users.get(req) ?? null,
          ip: identity.ip(req),
          ...(res.writableFinished ? {} : { aborted: true }),
        };
        if (PROBES.has(pathname)) logger.debug(line, 'request');
        else logger.info(line, 'request');
      });
    },
  };
}
