import type { Orm } from '@chat/db';
import type { ChatMetrics } from './metrics';

/** The parts of knex (underneath MikroORM's PostgreSQL driver) we observe. */
interface ObservableKnex {
  on(event: 'query', listener: (query: { __knexQueryUid?: string }) => void): void;
  on(event: 'query-response' | 'query-error', listener: (result: unknown, query: { __knexQueryUid?: string }) => void): void;
  client: { pool?: { numUsed(): number; numFree(): number; numPendingAcquires(): number } | null };
}

/** Query durations from knex's query events, and pool occupancy read at each scrape. */
export function observeDatabase(orm: Orm, metrics: ChatMetrics): void {
  const knex = orm.em.getConnection().getKnex() as unknown as ObservableKnex;
  const started = new Map<string, bigint>();
  const finish = (outcome: 'ok' | 'error') => (_result: unknown, query: { __knexQueryUid?: string }) => {
    const uid = query.__knexQueryUid;
    const start = uid ? started.get(uid) : undefined;
    if (!uid || start === undefined) return;
    started.delete(uid);
    metrics.dbQueryDuration.observe({ outcome }, Number(process.hrtime.bigint() - start) / 1e9);
  };
  knex.on('query', (query) => {
    if (query.__knexQueryUid) started.set(query.__knexQueryUid, process.hrtime.bigint());
  });
  knex.on('query-response', finish('ok'));
  knex.on('query-error', finish('error'));

  // prom-client calls collect() on every scrape; the pool exists once the first connection was made.
  Object.assign(metrics.dbPool, {
    collect() {
      const pool = knex.client.pool;
      metrics.dbPool.set({ state: 'used' }, pool?.numUsed() ?? 0);
      metrics.dbPool.set({ state: 'free' }, pool?.numFree() ?? 0);
      metrics.dbPool.set({ state: 'pending' }, pool?.numPendingAcquires() ?? 0);
    },
  });
}
