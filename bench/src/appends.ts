// Appends/s through the real server (issue 26 §3, decisions 162 and 175): bot clients each make one
// locked write as fast as they are acknowledged (each waits for its answer, then makes the next), over
// HTTP, to one or more instances sharing one database (and so the one append lock). Group commit on or
// off (APPEND_GROUP_COMMIT), so the same run compares them; turns alternate, since the machine is shared.
// `--kind`: plain sends (decision 162's batch statement), reaction toggles or edits (decision 175's shared
// holds), or mixed (the three in turn).
//
//   pnpm --filter @chat/bench exec tsx src/appends.ts [--clients 64] [--seconds 20] [--rounds 2] [--instances 1,2] [--kind send|react|edit|mixed]
//
// Needs PostgreSQL at BENCH_DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432/postgres):
// each turn makes its own database there and drops it after.
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { createTestDatabase } from '@chat/db/testing';
import { createAccounts, mutate } from './accounts';
import { ensureServerBuilt, startTarget, type Target } from './targets';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const clients = Number(arg('clients', '64'));
const seconds = Number(arg('seconds', '20'));
const rounds = Number(arg('rounds', '2'));
const instanceCounts = arg('instances', '1,2').split(',').map(Number);
const kind = arg('kind', 'send');
if (!['send', 'react', 'edit', 'mixed'].includes(kind)) throw new Error(`--kind must be send, react, edit or mixed, not ${kind}`);
const EMOJI = ['👍', '🎉', '❤️', '😂', '👀'];
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const WARMUP_MS = 3000;

async function withDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
  const database = await createTestDatabase(adminUrl);
  try {
    return await work(database.url);
  } finally {
    await database.drop();
  }
}

interface Turn {
  groupCommit: boolean;
  instances: number;
  appendsPerSecond: number;
  /** Server CPU (user + system, all instances) per 1,000 acknowledged appends, in ms. */
  cpuMsPer1000: number;
  p50Ms: number;
  p99Ms: number;
}

async function turn(groupCommit: boolean, instances: number): Promise<Turn> {
  return withDatabase(async (databaseUrl) => {
    // One secret for all instances: a token signed by one is good on the others.
    const env = { APPEND_GROUP_COMMIT: groupCommit ? 'on' : 'off', JWT_SECRET: randomBytes(48).toString('base64url') };
    const servers: Target[] = [];
    try {
      // One after the other: the first runs the migrations.
      for (let i = 0; i < instances; i++) servers.push(await startTarget('ours', { databaseUrl, env }));
      const accounts = await createAccounts(servers[0]!.url, Math.min(clients, 16));
      // Each account's own messages, for edits (only the author may) and reactions.
      const own = await Promise.all(
        accounts.map(async (a, i) => {
          const ids: string[] = [];
          for (let m = 0; m < 4; m++) ids.push((await mutate(servers[0]!.url, 'chat.send', { text: `target ${i}.${m}`, clientMessageId: `t${i}-${m}` }, a.token)).id);
          return ids;
        }),
      );
      const all = own.flat();
      const reacted = new Set<string>();
      const write = (c: number, k: number) => {
        const a = c % accounts.length;
        const account = accounts[a]!;
        const url = servers[c % servers.length]!.url;
        const what = kind === 'mixed' ? (['send', 'react', 'edit'] as const)[k % 3]! : kind;
        if (what === 'send') return mutate(url, 'chat.send', { text: `bot ${c} message ${k}`, clientMessageId: `b${c}-${k}` }, account.token);
        if (what === 'edit') return mutate(url, 'chat.edit', { messageId: own[a]![k % own[a]!.length]!, text: `bot ${c} edit ${k}` }, account.token);
        const messageId = all[(c * 7 + k) % all.length]!;
        const emoji = EMOJI[k % EMOJI.length]!;
        const key = `${a}:${messageId}:${emoji}`;
        const on = !reacted.has(key);
        if (on) reacted.add(key);
        else reacted.delete(key);
        return mutate(url, 'chat.react', { messageId, emoji, on }, account.token);
      };
      let measuring = false;
      let stop = false;
      let acked = 0;
      const latencies: number[] = [];
      const bots = Array.from({ length: clients }, async (_, c) => {
        for (let k = 0; !stop; k++) {
          const started = performance.now();
          await write(c, k);
          if (measuring && !stop) {
            acked++;
            latencies.push(performance.now() - started);
          }
        }
      });
      await new Promise((r) => setTimeout(r, WARMUP_MS));
      const cpuBefore = await Promise.all(servers.map((s) => s.probe()));
      measuring = true;
      const t0 = performance.now();
      await new Promise((r) => setTimeout(r, seconds * 1000));
      measuring = false;
      const elapsed = (performance.now() - t0) / 1000;
      const cpuAfter = await Promise.all(servers.map((s) => s.probe()));
      stop = true;
      await Promise.all(bots);
      const cpuUs = cpuAfter.reduce((sum, p, i) => sum + p.cpu.user + p.cpu.system - cpuBefore[i]!.cpu.user - cpuBefore[i]!.cpu.system, 0);
      latencies.sort((a, b) => a - b);
      const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
      return { groupCommit, instances, appendsPerSecond: acked / elapsed, cpuMsPer1000: cpuUs / 1000 / (acked / 1000), p50Ms: at(0.5), p99Ms: at(0.99) };
    } finally {
      for (const s of servers) await s.stop();
    }
  });
}

ensureServerBuilt((line) => console.error(line), true);
const results: (Turn & { round: number; load: string })[] = [];
for (let round = 1; round <= rounds; round++) {
  for (const instances of instanceCounts) {
    for (const groupCommit of [false, true]) {
      const before = loadavg()[0]!.toFixed(1);
      const r = await turn(groupCommit, instances);
      results.push({ ...r, round, load: before });
      console.log(
        `${kind}  round ${round}  instances ${instances}  group commit ${groupCommit ? 'on ' : 'off'}  ${r.appendsPerSecond.toFixed(0).padStart(6)} writes/s  ` +
          `server CPU ${r.cpuMsPer1000.toFixed(0)} ms per 1,000  ack p50 ${r.p50Ms.toFixed(1)} ms  p99 ${r.p99Ms.toFixed(1)} ms  (load ${before} on ${cpus().length} cores)`,
      );
    }
  }
}
console.log(JSON.stringify({ kind, clients, seconds, results }));
