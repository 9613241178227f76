import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type ApiDeps, appRouter, CLOSE_CODES, MAX_BATCH_CALLS, createHttpContextFactory, createWsContextFactory, isDatabaseUnavailable, type RequestIdentity } from '@chat/api';
import { isDatabaseReachable } from '@chat/db';
import type { TRPCError } from '@trpc/server';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { getWSConnectionHandler } from '@trpc/server/adapters/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { createChatSockets } from './chat-sockets';
import { createDrainGate } from './drain-gate';
import { createDatabaseOutageLog } from '../observability/database-outage-log';
import type { Logger } from '../observability/logger';
import { createHostCheck, hostRefusal } from './allowed-hosts';
import { refuseHttpSubscription } from './wire/http-subscriptions';
import { isOriginAllowed } from './origin';
import { createObservability, type Observability } from '../observability/observability';
import { createStaticHandler } from './static-files';
import { createFilesHandler, type FileServing } from './files/files-handler';
import { RECONNECT_TEXT } from './wire/trpc-frames';
import { broadcastEncoder } from './wire/ws-encoder';

export interface ChatServerOptions {
  deps: ApiDeps;
  logger: Logger;
  allowedOrigins: readonly string[];
  /** Host names answered besides IP literals and localhost (ALLOWED_HOSTS); see allowed-hosts.ts. */
  allowedHosts?: readonly string[];
  /** Bearer token for GET /metrics; without one, /metrics answers 404 (used when `observability` is not given). */
  metricsToken?: string | null;
  webDistDir: string | null;
  identity: RequestIdentity;
  /** Overrides LIMITS.slowConsumerBytes (tests). */
  slowConsumerBytes?: number;
  /** Overrides LIMITS.keepAlive (tests). */
  keepAlive?: { pingMs: number; pongWaitMs: number };
  /** Logs, metrics, /metrics and /readyz; by default with a database readiness check only. */
  observability?: Observability;
  /** Attachments' storage (issue 24): /files/ answers 404 without it. */
  files?: FileServing | null;
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
  /** At most this long, shutdown waits for calls in flight to be answered and connections to close. */
  drainMs: 10_000,
  /** What a request refused during shutdown is told: retry (elsewhere) after this many seconds. */
  drainRetryAfterSeconds: 1,
  /** tRPC's text PING after this much quiet from the peer; no frame within pongWaitMs drops it. */
  keepAlive: { pingMs: 30_000, pongWaitMs: 10_000 },
  /**
   * Calls in one HTTP batch or one WebSocket frame: each call is a query the server runs, so an
   * unbounded batch turns one small request into unbounded work. Our clients set maxItems to it.
   */
  maxBatch: MAX_BATCH_CALLS,
  /** Subscriptions one socket holds at once (the web app opens 3). */
  maxSubscriptionsPerSocket: 10,
  /** Length of a string request id (tRPC's client numbers its requests). */
  maxRequestIdLength: 64,
} as const;

export { CLOSE_CODES };

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  // The app uses none of these; a page injected into it cannot either.
  'Permissions-Policy': 'accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), hid=(), magnetometer=(), microphone=(), midi=(), payment=(), serial=(), usb=()',
  // No other site's window keeps a handle on ours, and no other site may embed our responses.
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
} as const;
/** Machine endpoints: probes and scrapers name the server as they please (pod IP, service name), and nothing here helps a page. */
const ANY_HOST_PATHS = new Set(['/healthz', '/readyz', '/metrics']);
/**
 * Every response but the app's pages and assets (which send their own, static-files.ts) is data or a
 * short text, never a document: nothing in it may load or run, error pages and probes included.
 */
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

export function createChatServer({ deps, logger, allowedOrigins, allowedHosts = [], metricsToken = null, webDistDir, identity, observability, files = null, slowConsumerBytes = LIMITS.slowConsumerBytes, keepAlive = LIMITS.keepAlive }: ChatServerOptions): ChatServer {
  const ops = observability ?? createObservability({ logger, identity, metricsToken, readiness: { database: () => isDatabaseReachable(deps.orm) } });
  const isHostAllowed = createHostCheck(allowedHosts, allowedOrigins);
  const httpContext = createHttpContextFactory(deps, identity);
  const drain = createDrainGate();
  const sockets = createChatSockets({
    deps,
    logger,
    ops,
    identity,
    // Once a second: the sweep reads every socket (its state, its stream's buffer), so its cost grows with
    // connections, not with work; at 250 ms it was ~3 µs of CPU per delivery in a 1,000-subscriber fan-out
    // at 2 msg/s (decision 172). Its deadlines are seconds long; a slow consumer's limit is 8 MiB.
    timing: { authTimeoutMs: LIMITS.connectionParamsTimeoutMs, slowConsumerBytes, ...keepAlive, sweepMs: 1_000 },
    limits: { maxBatch: LIMITS.maxBatch, maxSubscriptions: LIMITS.maxSubscriptionsPerSocket, maxIdLength: LIMITS.maxRequestIdLength },
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
    maxBatchSize: LIMITS.maxBatch,
    // A refusal for a limit tells HTTP clients when to come back, as the error body does.
    responseMeta: ({ errors }) => {
      // Draining: the answer to a call in flight is the last on its connection; a refusal says when to retry.
      if (drain.draining) return { headers: { Connection: 'close', ...(errors.length ? { 'Retry-After': String(LIMITS.drainRetryAfterSeconds) } : {}) } };
      const wait = Math.max(0, ...errors.map((e) => (e.cause instanceof Error && 'retryAfterSeconds' in e.cause ? Number(e.cause.retryAfterSeconds) || 0 : 0)));
      return wait > 0 ? { headers: { 'Retry-After': String(wait) } } : {};
    },
    createContext: async (opts) => {
      const ctx = await httpContext(opts);
      ops.requests.identify(opts.req, ctx.user?.userId);
      return { ...ctx, drain };
    },
    onError: onProcedureError('http'),
  });
  const serveWeb = webDistDir ? createStaticHandler(webDistDir) : null;
  const serveFiles = files ? createFilesHandler({ deps, files, allowedOrigins, drain, logger }) : null;

  const wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.wsMaxPayloadBytes });
  const wsContext = createWsContextFactory<WebSocket>(
    deps,
    identity,
    sockets.authenticated,
    (socket) => {
      // Queued before the adapter's own plain close, and after it has sent the UNAUTHORIZED error:
      // clients see a code that says "stop retrying with this token".
      setImmediate(() => socket.close(CLOSE_CODES.tokenRefused, 'token refused'));
    },
    drain,
  );
  const onWsConnection = getWSConnectionHandler({
    wss,
    router: appRouter,
    // Unreachable behind the gate (socket-gate.ts refuses larger frames first); kept as a second lock.
    maxBatchSize: LIMITS.maxBatch,
    // One JSON.stringify per broadcast instead of one per subscriber (bench/README.md).
    experimental_encoder: broadcastEncoder,
    // Keep-alive (LIMITS.keepAlive) is done by the sockets' shared sweep, not by a timer per socket.
    keepAlive: { enabled: false },
    // The drain gate is in the context from the start (createWsContextFactory's last argument).
    createContext: wsContext,
    onError: onProcedureError('ws'),
  });

  wss.on('connection', (socket: WebSocket, req: IncomingMessage) => sockets.serve(socket, req, onWsConnection));

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    res.setHeader('X-Request-Id', identity.requestId(req));
    if (drain.draining) res.setHeader('Connection', 'close');
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    ops.requests.track(req, res, pathname);
    // Set before anything can answer; the static handler's writeHead replaces it with the app's policy.
    res.setHeader('Content-Security-Policy', API_CSP);
    if (!ANY_HOST_PATHS.has(pathname) && !isHostAllowed(req.headers.host)) {
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' }).end(hostRefusal(req.headers.host));
      return;
    }
    try {
      // Shutting down: probes say so, and balancers stop sending work here.
      if (drain.draining && (pathname === '/healthz' || pathname === '/readyz')) {
        res.writeHead(503, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'Retry-After': String(LIMITS.drainRetryAfterSeconds) });
        res.end(JSON.stringify({ status: 'draining' }));
        return;
      }
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
        if (refuseHttpSubscription(res, pathname)) return;
        trpcHttp(req, res);
        return;
      }
      if (pathname.startsWith('/files/')) {
        if (serveFiles) await serveFiles.handle(req, res, pathname);
        else res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
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
    if (!isHostAllowed(req.headers.host)) {
      logger.warn({ host: req.headers.host }, 'websocket refused: host not allowed (ALLOWED_HOSTS)');
      return refuse('403 Forbidden');
    }
    if (drain.draining) return refuse('503 Service Unavailable', `Retry-After: ${LIMITS.drainRetryAfterSeconds}\r\n`);
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
      serveFiles?.close();
      // New queries and mutations are refused (503 / SERVICE_UNAVAILABLE) from here on, on both transports.
      drain.start();
      sockets.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const deadline = new Promise<void>((resolve) => setTimeout(resolve, LIMITS.drainMs).unref());
      // Keep-alive connections close as soon as they fall idle (each response now says Connection: close).
      const idleSweep = setInterval(() => server.closeIdleConnections(), 50);
      server.closeIdleConnections();
      // tRPC's "reconnect" notification: clients open a socket elsewhere and move their subscriptions.
      for (const socket of wss.clients) if (socket.readyState === socket.OPEN) socket.send(RECONNECT_TEXT);
      // Calls in flight are answered, on HTTP and on sockets alike...
      await Promise.race([drain.idle(), deadline]);
      // ...(the adapter sends a result in the microtasks after its call settles)...
      await new Promise((resolve) => setImmediate(resolve));
      // ...then the sockets close, and the process may go as soon as every connection has.
      for (const socket of wss.clients) socket.close(1012, 'server restarting');
      await Promise.race([closed, deadline]);
      clearInterval(idleSweep);
      server.closeAllConnections();
      for (const socket of wss.clients) socket.terminate();
      wss.close();
    },
  };
}
