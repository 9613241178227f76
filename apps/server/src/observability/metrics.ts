import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Every metric the server exposes on GET /metrics. One registry per server (not prom-client's
 * global one), so test servers in one process do not share counters.
 *
 * Other code increments these directly, e.g. `metrics.rateLimitRefusals.inc({ kind: 'login' })`.
 */
export function createMetrics() {
  const registry = new Registry();
  // Process CPU, memory, GC, and event-loop delay (nodejs_eventloop_lag_* from monitorEventLoopDelay).
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  const registers = [registry];

  return {
    registry,
    openSockets: new Gauge({ name: 'chat_websockets_open', help: 'WebSocket connections currently open', registers }),
    usersOnline: new Gauge({ name: 'chat_users_online', help: 'Distinct users with at least one authenticated WebSocket', registers }),
    subscriptions: new Gauge({ name: 'chat_subscriptions_active', help: 'Live subscriptions (chat.onEvent, onMessage, onTyping, onPresence: one dispatcher stream each) currently open', registers }),
    messagesSent: new Counter({ name: 'chat_messages_sent_total', help: 'Messages stored and published by this instance', registers }),
    messagesDelivered: new Counter({
      name: 'chat_messages_delivered_total',
      help: 'Live messages handed to a subscriber stream (one per message per stream of its room)',
      registers,
    }),
    deliveryLatency: new Histogram({
      name: 'chat_message_delivery_latency_seconds',
      help: "From the message timestamp (set at insert) to its hand-off to this instance's subscribers (one sample per message)",
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    authFailures: new Counter({
      name: 'chat_auth_failures_total',
      help: 'Refused authentications by kind: password (login), token (HTTP bearer), socket-token, socket-timeout',
      labelNames: ['kind'] as const,
      registers,
    }),
    rateLimitRefusals: new Counter({
      name: 'chat_rate_limit_refusals_total',
      help: 'Requests refused by a rate limit, by limit kind (LimitKind in packages/api/src/security/rate-limits.ts)',
      labelNames: ['kind'] as const,
      registers,
    }),
    httpRequests: new Counter({
      name: 'chat_http_requests_total',
      help: 'HTTP requests by route group and status code',
      labelNames: ['route', 'status'] as const,
      registers,
    }),
    httpDuration: new Histogram({
      name: 'chat_http_request_duration_seconds',
      help: 'HTTP request duration by route group',
      labelNames: ['route'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    dbQueryDuration: new Histogram({
      name: 'chat_db_query_duration_seconds',
      help: 'PostgreSQL query duration (knex underneath MikroORM), by outcome',
      labelNames: ['outcome'] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    }),
    dbPool: new Gauge({
      name: 'chat_db_pool_connections',
      help: 'Database pool connections by state: used, free, pending (callers waiting for one)',
      labelNames: ['state'] as const,
      registers,
    }),
  };
}

export type ChatMetrics = ReturnType<typeof createMetrics>;

/** Low-cardinality route label: never the raw URL, which an attacker could vary without end. */
export function routeGroup(pathname: string): string {
  if (pathname.startsWith('/trpc/')) return 'trpc';
  if (pathname === '/healthz' || pathname === '/readyz' || pathname === '/metrics') return pathname.slice(1);
  if (pathname.startsWith('/assets/')) return 'assets';
  // Uploads and downloads (issue 24): one label, never an id (bounded cardinality).
  if (pathname.startsWith('/files/')) return 'files';
  return 'web';
}
