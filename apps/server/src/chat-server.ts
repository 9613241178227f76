import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type ApiDeps, appRouter, CLOSE_CODES, createHttpContextFactory, createWsContextFactory, isDatabaseUnavailable, type RequestIdentity } from '@chat/api';
import { isDatabaseReachable } from '@chat/db';
import type { TRPCError } from '@trpc/server';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { getWSConnectionHandler } from '@trpc/server/adapters/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { createChatSockets } from './chat-sockets';
import { createDatabaseOutageLog } from './database-outage-log';
import type { Logger } from './logger';
import { isOriginAllowed } from './origin';
import { createObservability, type Observability } from './observability';
import { createStaticHandler } from './static-files';
import { broadcastEncoder } from './ws-encoder';

export interface ChatServerOptions {
  deps: ApiDeps;
  logger: Logger;
  allowedOrigins: readonly string[];
  webDistDir: string | null;
  identity: RequestIdentity;
  /** Overrides LIMITS.slowConsumerBytes (tests). */
  slowConsumerBytes?: number;
  /** Overrides LIMITS.keepAlive (tests). */
  keepAlive?: { pingMs: number; pongWaitMs: number };
  /** Logs, metrics, /metrics and /readyz; by default with a database readiness check only. */
  observability?: Observability;
}

/** Bounds on what one peer can make us hold in memory. */
export const LIMITS = {
  wsMaxPayloadBytes: 64 * 1024,
  httpMaxBodyBytes: 64 * 1024,
  connectionParamsTimeoutMs: 5_000,
  /**
   * Unsent bytes queued for one socket before it counts as a slow consumer and is cut off: well
   * above a burst (a thousand long messages), far below what would strain the process.
   */
  slowConsumerBytes: 8 * 1024 * 1024,
  /** How long shutdown waits for in-flight HTTP requests (mutations) to finish. */
  drainMs: 10_000,
  /** tRPC's text PING after this much quiet from the peer; no frame within pongWaitMs drops it. */
  keepAlive: { pingMs: 30_000, pongWaitMs: 10_000 },
} as const;

export { CLOSE_CODES };

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
} as const;
/** API responses are data, never documents: nothing in them may load or run. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** Shared, so the listener each upgraded socket keeps holds nothing of its handshake. */
function destroyOnError(this: Duplex) {
  this.destroy();
}

export interface ChatServer {
  server: Server;
  listen(port: number, host: string): Promise<AddressInfo>;
  /** Tells every socket to reconnect, then stops accepting and closes everything. */
  close(): Promise<void>;
}

export function createChatServer({ deps, logger, allowedOrigins, webDistDir, identity, observability, slowConsumerBytes = LIMITS.slowConsumerBytes, keepAlive = LIMITS.keepAlive }: ChatServerOptions): ChatServer {
  const ops = observability ?? createObservability({ logger, identity, readiness: { database: () => isDatabaseReachable(deps.orm) } });
  const httpContext = createHttpContextFactory(deps, identity);
  const sockets = createChatSockets({
    deps,
    logger,
    ops,
    identity,
    timing: { authTimeoutMs: LIMITS.connectionParamsTimeoutMs, slowConsumerBytes, ...keepAlive, sweepMs: 250 },
  });

  const outage = createDatabaseOutageLog({ logger, reachable: () => isDatabaseReachable(deps.orm) });
  const onProcedureError =
    (transport: 'http' | 'ws') =>
    ({ error, path, req }: { error: TRPCError; path: string | undefined; req: IncomingMessage }) => {
      ops.procedureError(error, transport, path);
      // Refused as SERVICE_UNAVAILABLE (a subscription's stream still says INTERNAL_SERVER_ERROR here).
      if (isDatabaseUnavailable(error)) outage.refused(error.cause ?? error);
      else if (error.code === 'INTERNAL_SERVER_ERROR') logger.error({ err: error.cause ?? error, path, transport, requestId: identity.requestId(req) }, 'procedure failed');
    };

  const trpcHttp = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    maxBodySize: LIMITS.httpMaxBodyBytes,
    // A refusal for a limit tells HTTP clients when to come back, as the error body does.
    responseMeta: ({ errors }) => {
      const wait = Math.max(0, ...errors.map((e) => (e.cause instanceof Error && 'retryAfterSeconds' in e.cause ? Number(e.cause.retryAfterSeconds) || 0 : 0)));
      return wait > 0 ? { headers: { 'Retry-After': String(wait) } } : {};
    },
    createContext: async (opts) => {
      const ctx = await httpContext(opts);
      ops.requests.identify(opts.req, ctx.user?.userId);
      return ctx;
    },
    onError: onProcedureError('http'),
  });
  const serveWeb = webDistDir ? createStaticHandler(webDistDir) : null;

  const wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.wsMaxPayloadBytes });
  const onWsConnection = getWSConnectionHandler({
    wss,
    router: appRouter,
    // One JSON.stringify per broadcast instead of one per subscriber (bench/README.md).
    experimental_encoder: broadcastEncoder,
    // Keep-alive (LIMITS.keepAlive) is done by the sockets' shared sweep, not by a timer per socket.
    keepAlive: { enabled: false },
    createContext: createWsContextFactory<WebSocket>(deps, identity, sockets.authenticated, (socket) => {
      // Queued before the adapter's own plain close, and after it has sent the UNAUTHORIZED error:
      // clients see a code that says "stop retrying with this token".
      setImmediate(() => socket.close(CLOSE_CODES.tokenRefused, 'token refused'));
    }, sockets.pushLaneFor),
    onError: onProcedureError('ws'),
  });

  wss.on('connection', (socket: WebSocket, req: IncomingMessage) => onWsConnection(socket, sockets.accept(socket, req)));

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    res.setHeader('X-Request-Id', identity.requestId(req));
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    ops.requests.track(req, res, pathname);
    if (pathname === '/healthz' || pathname.startsWith('/trpc/')) res.setHeader('Content-Security-Policy', API_CSP);
    try {
      if (await ops.serve(req, res, pathname)) return;
      if (pathname === '/healthz') {
        const ok = await isDatabaseReachable(deps.orm);
        // Without the bus, messages still flow (polled from the database), only later: degraded, not down.
        const busOk = deps.bus.healthy();
        res.writeHead(ok ? 200 : 503, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
        res.end(JSON.stringify(ok && busOk ? { status: 'ok' } : { status: ok ? 'degraded' : 'database unreachable', bus: busOk ? 'ok' : 'down' }));
        return;
      }
      if (pathname.startsWith('/trpc/')) {
        if (!isOriginAllowed(req, allowedOrigins)) {
          res.writeHead(403, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: 'Origin not allowed' }));
          return;
        }
        const origin = req.headers.origin;
        if (origin) {
          res.setHeader('Access-Control-Allow-Origin', origin);
          res.setHeader('Vary', 'Origin');
        }
        if (req.method === 'OPTIONS') {
          res.writeHead(204, {
            'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
            'Access-Control-Allow-Headers': 'authorization, content-type, trpc-accept',
            'Access-Control-Max-Age': '600',
          });
          res.end();
          return;
        }
        trpcHttp(req, res);
        return;
      }
      if (serveWeb) return await serveWeb(req, res);
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
    } catch (error) {
      logger.error({ err: error, path: pathname, requestId: identity.requestId(req) }, 'request failed');
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Internal server error\n');
    }
  });

  server.on('upgrade', async (req: IncomingMessage, socket, head) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    const refuse = (status: string, extra = '') => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n${extra}Content-Length: 0\r\n\r\n`);
    };
    socket.on('error', destroyOnError);
    if (pathname !== '/ws') return refuse('404 Not Found');
    if (!isOriginAllowed(req, allowedOrigins)) {
      logger.warn({ origin: req.headers.origin }, 'websocket refused: origin not allowed');
      return refuse('403 Forbidden');
    }
    try {
      const wait = await deps.limits.consumeWsConnect(identity.ip(req));
      if (wait > 0) return refuse('429 Too Many Requests', `Retry-After: ${wait}\r\n`);
    } catch (error) {
      logger.error({ err: error }, 'websocket rate limiter failed');
      return refuse('503 Service Unavailable');
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  return {
    server,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      }),
    async close() {
      outage.close();
      sockets.close();
      // Stop accepting first; requests already running (a mutation mid-commit) may finish.
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      for (const socket of wss.clients) {
        // tRPC's "reconnect" notification: clients reconnect (and resume) instead of erroring.
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ id: null, method: 'reconnect' }));
        socket.close(1012, 'server restarting');
      }
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, LIMITS.drainMs).unref());
      await Promise.race([drained, timeout]);
      server.closeAllConnections();
      for (const socket of wss.clients) socket.terminate();
      wss.close();
    },
  };
}
