import { APPEND_LOCK_KEY, EVERYONE_ROOM_ID, initORM, migrate, type Orm, repositoriesFor } from '@chat/db';
import { startTcpProxy } from '@chat/db/tcp-proxy';
import { createTestDatabase, type TestDatabase } from '@chat/db/testing';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { type RetentionRun, runEventRetention, startEventRetention } from './event-retention';

// The retention job (docs/decisions/168-event-retention.md) on a real PostgreSQL: concurrent runs,
// appends going on meanwhile, and a database that goes away under the timer.
let db: TestDatabase;
let orm: Orm;
let authorId: string;
beforeAll(async () => {
  db = await createTestDatabase(inject('adminDatabaseUrl'));
  orm = await initORM({ clientUrl: db.url, poolMax: 6 });
  await migrate(orm);
  authorId = (await repositoriesFor(orm.em.fork()).users.insertIfUsernameFree({ username: 'author', passwordHash: 'x' }))!.id;
});
afterAll(async () => {
  await orm?.close();
  await db?.drop();
});

const DAY = 24 * 3600 * 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Forty days pass for every event so far (the job deletes a contiguous run from its horizon: fresh rows of an earlier test would stop it). */
const ageEverything = () => orm.em.fork().execute(`update events set created_at = created_at - interval '40 days'`);
const count = async () => Number((await orm.em.fork().execute<{ n: string }[]>('select count(*)::text as n from events'))[0]!.n);

/** `n` events 40 days old, written under the append lock as appends are. */
async function seedOld(n: number) {
  await orm.em.getKnex().transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(?)', [APPEND_LOCK_KEY]);
    await trx.raw(
      `insert into events (type, room_id, message_id, created_at)
       select case when g % 10 = 0 then 'message.edited' else 'message.created' end, ?, g % 500, now() - interval '40 days' + g * interval '1 millisecond'
         from generate_series(1, ?) g`,
      [EVERYONE_ROOM_ID, n],
    );
  });
}

it('two runs at once delete each old row once, and appends go on while they do', async () => {
  await seedOld(6_000);
  // A fresh newest event: the job never deletes the newest one.
  await repositoriesFor(orm.em.fork()).messages.append({ authorId, text: 'fresh', clientMessageId: null });
  const before = await count();
  let running = true;
  const appendMs: number[] = [];
  let duringJob = 0;
  const appender = (async () => {
    while (running) {
      const started = performance.now();
      const result = await repositoriesFor(orm.em.fork()).messages.append({ authorId, text: 'meanwhile', clientMessageId: null });
      expect(result.refused).toBe(false);
      appendMs.push(performance.now() - started);
      if (running) duringJob++;
    }
  })();
  const runs = await Promise.all([0, 1].map(() => runEventRetention(orm, { keepMs: 30 * DAY, batchSize: 100, pauseMs: 2 })));
  running = false;
  await appender;
  const deleted = runs.reduce((sum, r) => sum + r.deleted, 0);
  // Every old row but the newest edit of each of the 50 edited messages.
  expect(deleted).toBe(6_000 - 50);
  expect(await count()).toBe(before - deleted + appendMs.length);
  expect(duringJob).toBeGreaterThan(0);
  // Batches hold no lock an append needs: none waited on the job (a loaded machine still gets a second).
  expect(Math.max(...appendMs)).toBeLessThan(1_000);
}, 60_000);

it('a run while another holds the horizon row stops at once and says so', async () => {
  await seedOld(100);
  await ageEverything();
  await orm.em.getKnex().transaction(async (trx) => {
    await trx.raw('select 1 from event_horizon where id = 1 for update');
    const run = await runEventRetention(orm, { keepMs: 30 * DAY });
    expect(run).toMatchObject({ busy: true, deleted: 0 });
  });
  expect((await runEventRetention(orm, { keepMs: 30 * DAY })).deleted).toBeGreaterThan(0);
});

it('on its timer, survives the database going away: reports the failure and deletes once it is back', async () => {
  const url = new URL(db.url);
  const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
  url.host = `127.0.0.1:${proxy.port}`;
  const behind = await initORM({ clientUrl: url.toString(), poolMax: 2 });
  const runs: RetentionRun[] = [];
  const errors: unknown[] = [];
  const job = startEventRetention({ orm: behind, keepMs: 30 * DAY, everyMs: 100, onRun: (r) => runs.push(r), onError: (e) => errors.push(e) });
  try {
    await expect.poll(() => runs.length, { timeout: 10_000 }).toBeGreaterThan(0);
    proxy.cut();
    await expect.poll(() => errors.length, { timeout: 10_000 }).toBeGreaterThan(0);
    await seedOld(500);
    await ageEverything();
    proxy.restore();
    await expect.poll(() => runs.some((r) => r.deleted > 0), { timeout: 10_000 }).toBe(true);
  } finally {
    job.close();
    await proxy.close();
    await behind.close();
  }
  // Closed: no run after this.
  const settled = runs.length;
  await sleep(300);
  expect(runs.length).toBe(settled);
}, 60_000);
