// What one call costs the server, alone: calls made one after another by one client over HTTP, on an
// otherwise idle server, each procedure in turn; wall time per call and the server's CPU per call
// (user + system, all its threads, from the probe). No concurrency, so no queueing: the figure is
// the fixed cost of a call (HTTP, tRPC, auth, the service, its statements), the part every load
// multiplies. Run it before and after a change to the call path, in one sitting.
//
//   pnpm --filter @chat/bench calls [--calls 300] [--warmup 50]
//
// BENCH_SERVER_DIST picks another build (an A/B); BENCH_DATABASE_URL the PostgreSQL server.
import { cpus, loadavg } from 'node:os';
import { createTestDatabase } from '@chat/db/testing';
import { createAccounts, mutate, query } from './accounts';
import { ensureServerBuilt, startTarget } from './targets';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const calls = Number(arg('calls', '300'));
const warmup = Number(arg('warmup', '50'));
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

ensureServerBuilt((line) => console.error(line), true);
const database = await createTestDatabase(adminUrl);
const server = await startTarget('ours', { databaseUrl: database.url, env: { EVENT_RETENTION_DAYS: '0' } });
try {
  const [me] = await createAccounts(server.url, 1);
  const token = me!.token;
  const target = (await mutate(server.url, 'chat.send', { text: 'a message to react to and edit', clientMessageId: 'target' }, token)).id;
  const procedures: [string, (k: number) => Promise<unknown>][] = [
    // Not tRPC: what any HTTP request costs this server before a procedure runs.
    ['GET /healthz', () => fetch(`${server.url}/healthz`).then((r) => r.arrayBuffer())],
    ['auth.me (query)', () => query(server.url, 'auth.me', undefined, token)],
    ['room.list (query)', () => query(server.url, 'room.list', undefined, token)],
    ['chat.send', (k) => mutate(server.url, 'chat.send', { text: `message ${k}`, clientMessageId: `m${k}` }, token)],
    ['chat.react (toggled)', (k) => mutate(server.url, 'chat.react', { messageId: target, emoji: '👍', on: k % 2 === 0 }, token)],
    ['chat.edit', (k) => mutate(server.url, 'chat.edit', { messageId: target, text: `edited ${k}` }, token)],
  ];
  console.log(`${calls} calls each after ${warmup} to warm up, one at a time (load ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores)`);
  for (const [name, call] of procedures) {
    for (let k = 0; k < warmup; k++) await call(k);
    const before = await server.probe();
    const started = performance.now();
    for (let k = warmup; k < warmup + calls; k++) await call(k);
    const wallMs = (performance.now() - started) / calls;
    const after = await server.probe();
    const cpuMs = (after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system) / 1000 / calls;
    console.log(`${name.padEnd(22)} ${wallMs.toFixed(2).padStart(6)} ms a call   server CPU ${cpuMs.toFixed(2).padStart(5)} ms a call`);
  }
} finally {
  await server.stop();
  await database.drop();
}
