// The scenarios of issue 7, each against one server under test at a time (the others stopped).
import { type Account, createAccounts, login } from './accounts';
import { LoadPool, type RunResult } from './load/pool';
import { type Percentiles, percentiles } from './stats';
import { serverOf, startTarget, type Target, type TargetKind } from './targets';

export interface BenchOptions {
  sizes: number[];
  broadcasts: number;
  broadcastRate: number;
  sustained: { receivers: number; senders: number; ratePerSec: number; durationS: number };
  storm: { receivers: number; logins: number; ratePerSec: number; durationS: number };
  /** Each receiver is dropped after about `onlineS` (±1/3) for about `offlineS` (±1/4), then resumes. */
  jitter: { receivers: number; ratePerSec: number; durationS: number; onlineS: number; offlineS: number };
  workers: number;
  realClients: number;
  databaseUrl?: string;
  cpuProfDir?: string;
  /** Fan-out stops adding subscribers after a size this says is past what the server holds (the capacity scenario). */
  stopAfter?: (row: FanoutRow) => boolean;
}

export interface Delivery {
  latency: Percentiles;
  accepted: number;
  sendFailed: number;
  delivered: number;
  lost: number;
  duplicates: number;
  /** Receivers whose socket closed during the run. */
  closed: number;
  crossCheck: { realClients: number; mismatches: number } | null;
}

export interface FanoutRow extends Partial<Delivery> {
  target: TargetKind;
  subscribers: number;
  connected: number;
  connectFailed: number;
  connectSeconds: number;
  /** Deliveries per second while a broadcast drains: subscribers / time to reach the last one. */
  deliveriesPerSec?: number;
  /** Server CPU (user + system) over the broadcasts, per delivery, in µs. */
  cpuUsPerDelivery?: number;
  memory: { rssBytes: number; heapBytes: number; rssPerConnBytes: number; heapPerConnBytes: number };
}

export interface SustainedRow extends Delivery {
  target: TargetKind;
  subscribers: number;
  senders: number;
  ratePerSec: number;
  durationS: number;
  deliveriesPerSec: number;
  /** Server CPU over the run, in % of one core. */
  cpuPercent: number;
  /** The busiest load-generator process's CPU over the run, in % of one core (near 100: it is the bottleneck). */
  loadCpuPercent: number;
}

export interface StormResult {
  subscribers: number;
  logins: number;
  loginsOk: number;
  loginErrors: string[];
  loginSeconds: number;
  loginsPerSec: number;
  calm: Delivery & { loopDelayMs: { p50: number; p99: number; max: number } };
  storm: Delivery & { loopDelayMs: { p50: number; p99: number; max: number } };
  addedP99Ms: number;
}

export interface JitterRow extends Delivery {
  target: TargetKind;
  subscribers: number;
  ratePerSec: number;
  durationS: number;
  drops: number;
  reconnects: number;
  reconnectFailures: number;
  /** Accepted messages × receivers. */
  expected: number;
  /** Delivered share of `expected`, in % (duplicates not counted). */
  deliveryRate: number;
  /**
   * Deliveries of messages sent before the receiver's current subscription was ready (sent while it
   * was away or reconnecting), timed from when it could first have had them: its reconnect, or the
   * sending if later.
   */
  replay: Percentiles;
}

type Log = (line: string) => void;

const delivery = (r: RunResult): Delivery => ({
  latency: percentiles(r.latencies),
  accepted: r.accepted,
  sendFailed: r.sendFailed,
  delivered: r.delivered,
  lost: r.lost,
  duplicates: r.duplicates,
  closed: r.closed,
  crossCheck: r.crossCheck,
});

const fmt = (p: Percentiles) => `p50 ${p.p50} ms, p99 ${p.p99} ms, max ${p.max} ms`;

async function withTarget<T>(kind: TargetKind, accountsNeeded: number, opts: BenchOptions, log: Log, fn: (t: Target, accounts: Account[], pool: LoadPool) => Promise<T>): Promise<T> {
  log(`${kind}: starting the server`);
  const target = await startTarget(serverOf(kind), { databaseUrl: opts.databaseUrl, cpuProfDir: opts.cpuProfDir, log });
  const pool = await LoadPool.start(opts.workers);
  try {
    const accounts = target.kind === 'ours' ? await createAccounts(target.url, accountsNeeded) : [];
    return await fn(target, accounts, pool);
  } finally {
    await pool.close();
    await target.stop();
  }
}

function progressLogger(log: Log, label: string, total: number) {
  let last = 0;
  return (connected: number) => {
    if (Date.now() - last < 1000) return;
    last = Date.now();
    log(`${label}: connected ${connected}/${total}`);
  };
}

/** Fan-out and idle memory: grow to each size, measure memory at rest, then time broadcasts. */
export async function fanout(kind: TargetKind, opts: BenchOptions, log: Log, withBroadcasts = true): Promise<FanoutRow[]> {
  return withTarget(kind, 10, opts, log, async (target, accounts, pool) => {
    const tokens = accounts.map((a) => a.token);
    await pool.connect({ kind, url: target.url, tokens, receivers: 0, senders: 1, realClients: opts.realClients });
    await new Promise((r) => setTimeout(r, 1000));
    const base = await target.probe({ gc: true });
    const rows: FanoutRow[] = [];
    for (const size of [...opts.sizes].sort((a, b) => a - b)) {
      const label = `fanout ${kind} ${size}`;
      const started = Date.now();
      const c = await pool.connect({ kind, url: target.url, tokens, receivers: size, senders: 1, realClients: opts.realClients, onProgress: progressLogger(log, label, size) });
      const connectSeconds = (Date.now() - started) / 1000;
      if (c.failed) log(`${label}: ${c.failed} connections failed: ${c.errors.join('; ')}`);
      // Idle: let start-up garbage settle, then measure after a full GC.
      await new Promise((r) => setTimeout(r, 2000));
      const mem = await target.probe({ gc: true });
      const memory = {
        rssBytes: mem.rss,
        heapBytes: mem.heapUsed,
        rssPerConnBytes: Math.round((mem.rss - base.rss) / Math.max(1, c.receivers)),
        heapPerConnBytes: Math.round((mem.heapUsed - base.heapUsed) / Math.max(1, c.receivers)),
      };
      log(`${label}: ${c.receivers} subscribed in ${connectSeconds.toFixed(1)} s; RSS ${(memory.rssPerConnBytes / 1024).toFixed(1)} KiB/conn, heap ${(memory.heapPerConnBytes / 1024).toFixed(1)} KiB/conn`);
      const row: FanoutRow = { target: kind, subscribers: size, connected: c.receivers, connectFailed: c.failed, connectSeconds, memory };
      if (withBroadcasts) {
        log(`${label}: ${opts.broadcasts} broadcasts at ${opts.broadcastRate}/s`);
        const profiled = await target.profile(`fanout-${kind}-${size}`);
        const cpuBefore = await target.probe();
        const r = await pool.run({ count: opts.broadcasts, ratePerSec: opts.broadcastRate, drainMs: 60_000 });
        const cpuAfter = await target.probe();
        await profiled();
        const cpuMicros = cpuAfter.cpu.user + cpuAfter.cpu.system - cpuBefore.cpu.user - cpuBefore.cpu.system;
        const spanSum = r.spans.reduce((a, b) => a + b, 0);
        Object.assign(row, delivery(r), {
          deliveriesPerSec: spanSum > 0 ? Math.round(r.delivered / (spanSum / 1000)) : 0,
          cpuUsPerDelivery: Math.round((cpuMicros / Math.max(1, r.delivered)) * 10) / 10,
        });
        log(`${label}: ${fmt(row.latency!)}, lost ${r.lost}${r.crossCheck ? `, cross-check ${r.crossCheck.mismatches === 0 ? 'ok' : `${r.crossCheck.mismatches} mismatches`}` : ''}`);
      }
      rows.push(row);
      if (opts.stopAfter?.(row)) break;
    }
    return rows;
  });
}

/** Sustained chat: many senders at a steady total rate, every message persisted (ours). */
export async function sustained(kind: TargetKind, opts: BenchOptions, log: Log): Promise<SustainedRow> {
  const s = opts.sustained;
  return withTarget(kind, s.senders, opts, log, async (target, accounts, pool) => {
    const label = `sustained ${kind}`;
    const c = await pool.connect({ kind, url: target.url, tokens: accounts.map((a) => a.token), receivers: s.receivers, senders: s.senders, realClients: opts.realClients, onProgress: progressLogger(log, label, s.receivers) });
    if (c.failed) log(`${label}: ${c.failed} connections failed: ${c.errors.join('; ')}`);
    log(`${label}: ${s.senders} senders, ${s.ratePerSec} msg/s for ${s.durationS} s to ${c.receivers} subscribers`);
    const profiled = await target.profile(`sustained-${kind}`);
    const before = await target.probe();
    const t0 = Date.now();
    const ticker = setInterval(() => log(`${label}: ${Math.round((Date.now() - t0) / 1000)}/${s.durationS} s`), 5000);
    const r = await pool.run({ count: s.ratePerSec * s.durationS, ratePerSec: s.ratePerSec, drainMs: 30_000 }).finally(() => clearInterval(ticker));
    const after = await target.probe();
    await profiled();
    const cpuMicros = after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system;
    const row: SustainedRow = {
      target: kind,
      subscribers: c.receivers,
      senders: c.senders,
      ratePerSec: s.ratePerSec,
      durationS: s.durationS,
      ...delivery(r),
      deliveriesPerSec: Math.round(r.delivered / (r.wallMs / 1000)),
      cpuPercent: Math.round((cpuMicros / 1000 / (Date.now() - t0)) * 100),
      loadCpuPercent: r.loadCpuPercent,
    };
    // CPU per message sent: with few subscribers this is mostly the send path's cost (an A/B of it, decision 165).
    const perSend = Math.round(cpuMicros / Math.max(1, s.ratePerSec * s.durationS));
    log(`${label}: ${fmt(row.latency)}, lost ${row.lost}, CPU ${row.cpuPercent}% (load generator ${row.loadCpuPercent}%), ${perSend} µs server CPU per message sent`);
    return row;
  });
}

/** Login storm (ours only: the baselines have no logins): chat latency with and without 100 concurrent logins. */
export async function storm(opts: BenchOptions, log: Log): Promise<StormResult> {
  const s = opts.storm;
  // One account per login, as when everyone signs in again after a restart: logging in to a few
  // accounts many times at once from one address is what the per-(account, address) limit refuses.
  return withTarget('ours', Math.max(10, s.logins), opts, log, async (target, accounts, pool) => {
    const label = 'storm ours';
    await pool.connect({ kind: 'ours', url: target.url, tokens: accounts.map((a) => a.token), receivers: s.receivers, senders: 1, realClients: 0, onProgress: progressLogger(log, label, s.receivers) });
    const phase = async (during?: () => Promise<void>) => {
      await target.probe({ resetLoop: true });
      const r = await pool.run({ count: s.ratePerSec * s.durationS, ratePerSec: s.ratePerSec, drainMs: 30_000, during });
      const p = await target.probe({ resetLoop: true });
      return { ...delivery(r), loopDelayMs: p.loopDelayMs };
    };
    log(`${label}: calm phase, ${s.ratePerSec} msg/s for ${s.durationS} s`);
    const calm = await phase();
    let loginsOk = 0;
    let loginSeconds = 0;
    const loginErrors: string[] = [];
    log(`${label}: storm phase, ${s.logins} concurrent logins 1 s in`);
    const stormed = await phase(async () => {
      await new Promise((r) => setTimeout(r, 1000));
      const t0 = Date.now();
      await Promise.all(
        Array.from({ length: s.logins }, (_, i) =>
          login(target.url, accounts[i % accounts.length]!.username).then(
            () => void loginsOk++,
            (e: Error) => void (loginErrors.length < 5 && loginErrors.push(e.message)),
          ),
        ),
      );
      loginSeconds = (Date.now() - t0) / 1000;
    });
    const result: StormResult = {
      subscribers: s.receivers,
      logins: s.logins,
      loginsOk,
      loginErrors,
      loginSeconds,
      loginsPerSec: Math.round((loginsOk / Math.max(0.001, loginSeconds)) * 10) / 10,
      calm,
      storm: stormed,
      addedP99Ms: Math.round((stormed.latency.p99 - calm.latency.p99) * 100) / 100,
    };
    log(`${label}: calm p99 ${calm.latency.p99} ms, storm p99 ${stormed.latency.p99} ms; ${loginsOk}/${s.logins} logins in ${loginSeconds.toFixed(1)} s`);
    return result;
  });
}

/** Jitter: receivers keep dropping and coming back while the chat flows; who gets everything, how fast the replay is. */
export async function jitter(kind: TargetKind, opts: BenchOptions, log: Log): Promise<JitterRow> {
  const j = opts.jitter;
  return withTarget(kind, 10, opts, log, async (target, accounts, pool) => {
    const label = `jitter ${kind}`;
    const c = await pool.connect({ kind, url: target.url, tokens: accounts.map((a) => a.token), receivers: j.receivers, senders: 1, realClients: opts.realClients, onProgress: progressLogger(log, label, j.receivers) });
    if (c.failed) log(`${label}: ${c.failed} connections failed: ${c.errors.join('; ')}`);
    // A warm-up message gives every receiver an event id to resume from, as a client's history would.
    await pool.run({ count: 1, ratePerSec: 1, drainMs: 10_000 });
    log(`${label}: ${c.receivers} subscribers, each dropped about every ${j.onlineS} s for about ${j.offlineS} s; ${j.ratePerSec} msg/s for ${j.durationS} s`);
    const t0 = Date.now();
    const ticker = setInterval(() => log(`${label}: ${Math.round((Date.now() - t0) / 1000)}/${j.durationS} s`), 10_000);
    let churn = { drops: 0, reconnects: 0, reconnectFailures: 0, errors: [] as string[] };
    const r = await pool
      .run({
        count: j.ratePerSec * j.durationS,
        ratePerSec: j.ratePerSec,
        // The baselines cannot replay: what they missed never comes, so do not wait long for it.
        drainMs: kind === 'ours' ? 30_000 : 5_000,
        during: () => pool.jitter([j.onlineS * 666, j.onlineS * 1333], [j.offlineS * 750, j.offlineS * 1250]),
        beforeCollect: async () => {
          churn = await pool.steady();
        },
      })
      .finally(() => clearInterval(ticker));
    if (churn.reconnectFailures) log(`${label}: ${churn.reconnectFailures} reconnect attempts failed: ${churn.errors.join('; ')}`);
    const expected = r.accepted * c.receivers;
    const row: JitterRow = {
      target: kind,
      subscribers: c.receivers,
      ratePerSec: j.ratePerSec,
      durationS: j.durationS,
      ...delivery(r),
      drops: churn.drops,
      reconnects: churn.reconnects,
      reconnectFailures: churn.reconnectFailures,
      expected,
      deliveryRate: expected > 0 ? Math.floor(((expected - r.lost) / expected) * 10_000) / 100 : 0,
      replay: percentiles(r.replayLatencies),
    };
    log(`${label}: ${row.drops} drops, delivered ${row.deliveryRate}% (lost ${row.lost}), replay ${fmt(row.replay)} over ${row.replay.count} replayed deliveries`);
    return row;
  });
}
