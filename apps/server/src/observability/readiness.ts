import type { IncomingMessage, ServerResponse } from 'node:http';

/** Resolves true when the dependency answers; false or a rejection means "not ready". */
export type ReadinessCheck = () => Promise<boolean>;

export type CheckOutcome = 'ok' | 'failed' | 'timeout';

const TIMEOUT_MS = 2_000;

/**
 * Ready means every dependency a request needs answers now (the database, and Redis when configured);
 * a load balancer stops routing to an instance that is not. Alive (/healthz) is only "the process serves".
 */
export async function checkReadiness(checks: Record<string, ReadinessCheck>, timeoutMs = TIMEOUT_MS) {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, CheckOutcome]> => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<CheckOutcome>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const outcome = check().then(
        (ok): CheckOutcome => (ok ? 'ok' : 'failed'),
        (): CheckOutcome => 'failed',
      );
      try {
        return [name, await Promise.race([outcome, timeout])];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const results = Object.fromEntries(entries);
  return { ready: entries.every(([, outcome]) => outcome === 'ok'), checks: results };
}

export async function serveReadiness(_req: IncomingMessage, res: ServerResponse, checks: Record<string, ReadinessCheck>): Promise<void> {
  const { ready, checks: results } = await checkReadiness(checks);
  res.writeHead(ready ? 200 : 503, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify({ status: ready ? 'ready' : 'not ready', checks: results }));
}

/** For an ioredis client: PING answers PONG only when the server is reachable and we are authenticated. */
export const redisCheck =
  (redis: { ping(): Promise<string> }): ReadinessCheck =>
  async () =>
    (await redis.ping()) === 'PONG';
