// The event log's retention job on a seeded log (docs/decisions/168-event-retention.md): how long it
// takes to delete N old events, at how many rows/s, and what the sends going on meanwhile see (their
// latency against a window of the same sends without the job).
//
//   pnpm --filter @chat/bench exec tsx src/retention.ts [--events 1000000] [--clients 8] [--batch 5000] [--pause 0] [--baseline-seconds 15]
//
// Needs PostgreSQL at BENCH_DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432/postgres):
// makes its own database there and drops it after. The server under test is the production bundle
// with its own job off (EVENT_RETENTION_DAYS=0): the job runs here, the code every instance runs.
import { cpus, loadavg } from 'node:os';
import { runEventRetention } from '@chat/api';
import { APPEND_LOCK_KEY, EVERYONE_ROOM_ID, initORM, migrate } from '@chat/db';
import { createTestDatabase } from '@chat/db/testing';
import { createAccounts, mutate } from './accounts';
import { ensureServerBuilt, startTarget } from './targets';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const events = Number(arg('events', '1000000'));
const clients = Number(arg('clients', '8'));
const batchSize = Number(arg('batch', '5000'));
const pauseMs = Number(arg('pause', '0'));
const baselineSeconds = Number(arg('baseline-seconds', '15'));
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DAY_MS = 24 * 3600 * 1000;
const log = (line: string) => console.error(`${new Date().toISOString().slice(11, 19)} ${line}`);

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
const summary = (latencies: number[], seconds: number) => {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { sends: sorted.length, perSecond: Math.round(sorted.length / seconds), p50Ms: +quantile(sorted, 0.5).toFixed(1), p99Ms: +quantile(sorted, 0.99).toFixed(1), maxMs: +(sorted.at(-1) ?? 0).toFixed(1) };
};

ensureServerBuilt(log, true);
const database = await createTestDatabase(adminUrl);
const orm = await initORM({ clientUrl: database.url, poolMax: 4 });
try {
  await migrate(orm);
  // A log as a busy server writes it, 40 days old: mostly messages, their edits, deletes, previews
  // and reactions (about 100,000 messages edited, some several times), and room events. Made by
  // PostgreSQL under the append lock, before the server starts (its feed then starts after it).
  log(`seeding ${events.toLocaleString('en')} events 40 days old...`);
  const seedStarted = performance.now();
  await orm.em
    .getKnex()
    .transaction(async (trx) => {
      await trx.raw('select pg_advisory_xact_lock(?)', [APPEND_LOCK_KEY]);
      await trx.raw(
        `insert into events (type, room_id, user_id, message_id, payload, created_at)
         select case when g % 100 < 78 then 'message.created' when g % 100 < 88 then 'message.edited' when g % 100 < 90 then 'message.deleted'
                     when g % 100 < 93 then 'message.preview' when g % 100 < 98 then 'reaction.changed' else 'read.updated' end,
                ?, null, (g / 10) * 10 % 1000000, null, now() - interval '40 days' + g * interval '1 millisecond'
           from generate_series(1, ?) g`,
        [EVERYONE_ROOM_ID, events],
      );
    });
  await orm.em.fork().execute('analyze events');
  log(`seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);

  const server = await startTarget('ours', { databaseUrl: database.url, env: { EVENT_RETENTION_DAYS: '0' }, log });
  try {
    const accounts = await createAccounts(server.url, Math.min(clients, 8));
    let phase: 'warmup' | 'baseline' | 'job' | 'done' = 'warmup';
    const latencies: Record<'baseline' | 'job', number[]> = { baseline: [], job: [] };
    const bots = Array.from({ length: clients }, async (_, c) => {
      const account = accounts[c % accounts.length]!;
      for (let k = 0; phase !== 'done'; k++) {
        const at = phase;
        const started = performance.now();
        await mutate(server.url, 'chat.send', { text: `bot ${c} message ${k}`, clientMessageId: `r${c}-${k}` }, account.token);
        // Counted in the phase it started and ended in, so no send straddles the two.
        if (at !== 'warmup' && phase === at) latencies[at].push(performance.now() - started);
      }
    });
    await new Promise((r) => setTimeout(r, 3000));
    const load = loadavg()[0]!.toFixed(1);
    phase = 'baseline';
    await new Promise((r) => setTimeout(r, baselineSeconds * 1000));
    phase = 'job';
    const before = await orm.em.fork().execute<{ n: string; bytes: string }[]>(`select count(*)::text as n, pg_total_relation_size('events')::text as bytes from events`);
    const run = await runEventRetention(orm, { keepMs: 30 * DAY_MS, batchSize, pauseMs });
    phase = 'done';
    await Promise.all(bots);
    const after = await orm.em.fork().execute<{ n: string; kept: string }[]>(
      `select count(*)::text as n, count(*) filter (where id <= (select deleted_through from event_horizon))::text as kept from events`,
    );
    const jobSeconds = run.ms / 1000;
    const result = {
      events,
      batchSize,
      pauseMs,
      clients,
      load: `${load} on ${cpus().length} cores`,
      job: { deleted: run.deleted, batches: run.batches, seconds: +jobSeconds.toFixed(1), rowsPerSecond: Math.round(run.deleted / jobSeconds), horizon: run.through },
      rows: { before: Number(before[0]!.n), after: Number(after[0]!.n), keptBelowHorizon: Number(after[0]!.kept), tableBytesBefore: Number(before[0]!.bytes) },
      sendsBaseline: summary(latencies.baseline, baselineSeconds),
      sendsDuringJob: summary(latencies.job, jobSeconds),
    };
    log(
      `deleted ${run.deleted.toLocaleString('en')} events in ${jobSeconds.toFixed(1)} s (${result.job.rowsPerSecond.toLocaleString('en')} rows/s, ${run.batches} batches of ${batchSize}); ` +
        `${result.rows.keptBelowHorizon.toLocaleString('en')} kept below the horizon; sends p50/p99 ${result.sendsBaseline.p50Ms}/${result.sendsBaseline.p99Ms} ms without the job, ` +
        `${result.sendsDuringJob.p50Ms}/${result.sendsDuringJob.p99Ms} ms during it (${result.sendsBaseline.perSecond} vs ${result.sendsDuringJob.perSecond} sends/s; load ${load})`,
    );
    console.log(JSON.stringify(result));
  } finally {
    await server.stop();
  }
} finally {
  await orm.close();
  await database.drop();
}
