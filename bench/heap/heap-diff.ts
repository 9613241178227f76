// Heap per WebSocket connection of our server, by kind: heap snapshots before and after N
// authenticated clients, diffed. `pnpm bench:heap -- --clients 2000 --subscribe event` (`--help`: options)
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createTestDatabase } from '@chat/db/testing';
import WebSocket from 'ws';
import { createAccounts, eventCursor } from '../src/accounts';
import { parseCli } from '../src/cli-args';
import { authMeFrame, connectionParamsFrame, subscriptionFrame, type TrpcReply } from '../src/load/frames';
import { ensureServerBuilt, startTarget } from '../src/targets';
import { attribute } from './heap-owners';
import { type HeapSummary, readSnapshot, summariseRead } from './heap-summary';

const USAGE = `Usage: pnpm bench:heap [-- options]
Heap per WebSocket connection of our server, by object kind: heap snapshots before and after N
authenticated connections, diffed.
  --clients N        connections to open (default 2000)
  --subscribe WHAT   what each connection opens (default message):
                       message  chat.onMessage, as the bench's load clients
                       event    chat.onEvent from chat.eventCursor, as the web app (one subscription)
                       none     no subscription, one auth.me query
  --top N            kinds to list, largest first (default 40)
  --owner-top N      kinds to list under each owner (node net, ws, tRPC adapter, ours) (default 8)
  --admin-url URL    PostgreSQL superuser URL for a scratch database (default TEST_DATABASE_URL or
                     postgres://postgres@127.0.0.1:5432/postgres)
  --keep             keep the heap snapshots (their folder is printed)
  --help             this text`;

const SUBSCRIBE = ['message', 'event', 'none'] as const;
const values = parseCli(
  process.argv.slice(2),
  {
    clients: { type: 'string', default: '2000' },
    subscribe: { type: 'string', default: 'message' },
    top: { type: 'string', default: '40' },
    'owner-top': { type: 'string', default: '8' },
    'admin-url': { type: 'string', default: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    keep: { type: 'boolean', default: false },
  },
  USAGE,
);
const subscribe = values.subscribe as (typeof SUBSCRIBE)[number];
if (!SUBSCRIBE.includes(subscribe)) {
  console.error(`--subscribe must be one of ${SUBSCRIBE.join(', ')}, got ${values.subscribe}\n\n${USAGE}`);
  process.exit(2);
}
const CLIENTS = Number(values.clients);
const WARM = 20;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const dir = mkdtempSync(`${tmpdir()}/chat-heap-`);
// As the bench CLI does: a fresh bundle, so a run never measures the code before an edit.
ensureServerBuilt((line) => console.error(line), true);
const database = await createTestDatabase(values['admin-url']);
// The bench's own server start (same bundle, env and probe), with SIGUSR2 writing snapshots into `dir`.
const target = await startTarget('ours', {
  databaseUrl: database.url,
  nodeArgs: ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${dir}`],
  log: (line) => console.error(line),
});
const wsUrl = target.url.replace(/^http/, 'ws');

/** heapUsed after a full GC (the bench's probe: the figure the bench reports), then a heap snapshot. */
async function snapshot(): Promise<{ heapUsed: number; file: string }> {
  await sleep(2500);
  const { heapUsed } = await target.probe({ gc: true });
  const before = new Set(readdirSync(dir));
  process.kill(target.pid, 'SIGUSR2');
  for (;;) {
    await sleep(500);
    const file = readdirSync(dir).find((f) => f.endsWith('.heapsnapshot') && !before.has(f));
    if (!file) continue;
    const size = statSync(`${dir}/${file}`).size;
    await sleep(1000);
    if (size > 0 && statSync(`${dir}/${file}`).size === size) return { heapUsed, file: `${dir}/${file}` };
  }
}

const sockets: WebSocket[] = [];
/** One connection as `--subscribe` says; `cursor` is chat.eventCursor's answer (for `event`). */
function connect(token: string, cursor: string): Promise<void> {
  const socket = new WebSocket(`${wsUrl}/ws?connectionParams=1`, { perMessageDeflate: false });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.on('open', () => {
      socket.send(connectionParamsFrame(token));
      if (subscribe === 'none') socket.send(authMeFrame(1));
      else socket.send(subscriptionFrame(subscribe === 'event' ? 'onEvent' : 'onMessage', subscribe === 'event' ? cursor : null));
    });
    socket.on('message', (raw) => {
      const text = String(raw);
      if (text === 'PING') return socket.send('PONG');
      const msg = JSON.parse(text) as TrpcReply;
      if (msg.error) reject(new Error(msg.error.message));
      else if (msg.id === 1) resolve();
    });
    socket.on('error', reject);
  });
}

try {
  const tokens = (await createAccounts(target.url, 10)).map((a) => a.token);
  const cursor = await eventCursor(target.url, tokens[0]!);
  const connectMany = async (n: number) => {
    for (let i = 0; i < n; i += 100) await Promise.all(Array.from({ length: Math.min(100, n - i) }, (_, k) => connect(tokens[(i + k) % tokens.length]!, cursor)));
  };
  // Warm-up connections first, so code compiled on the first connections is in both snapshots.
  await connectMany(WARM);
  const baseShot = await snapshot();
  await connectMany(CLIENTS);
  const afterShot = await snapshot();
  // One snapshot in memory at a time: the base one only for its kinds and object ids.
  const baseRead = readSnapshot(baseShot.file);
  const base: { heapUsed: number; summary: HeapSummary } = { heapUsed: baseShot.heapUsed, summary: summariseRead(baseRead) };
  const baseIds = new Set<number>();
  for (let n = 0; n < baseRead.count; n++) baseIds.add(baseRead.id(n));
  const afterRead = readSnapshot(afterShot.file);
  const after = { heapUsed: afterShot.heapUsed, summary: summariseRead(afterRead) };

  const rows = [...new Set([...base.summary.kinds.keys(), ...after.summary.kinds.keys()])].map((kind) => {
    const a = after.summary.kinds.get(kind) ?? { count: 0, bytes: 0 };
    const b = base.summary.kinds.get(kind) ?? { count: 0, bytes: 0 };
    return { kind, count: (a.count - b.count) / CLIENTS, bytes: (a.bytes - b.bytes) / CLIENTS };
  });
  rows.sort((x, y) => y.bytes - x.bytes);
  const kib = (bytes: number) => (bytes / 1024).toFixed(2);
  console.log(`${CLIENTS} clients (subscribe: ${subscribe}); per connection:`);
  console.log(`  heapUsed after GC  ${kib((after.heapUsed - base.heapUsed) / CLIENTS)} KiB`);
  console.log(`  snapshot nodes     ${kib((after.summary.totalBytes - base.summary.totalBytes) / CLIENTS)} KiB in ${((after.summary.nodes - base.summary.nodes) / CLIENTS).toFixed(0)} nodes`);
  console.log('  ("code" is compiled code, noise from when V8 optimises, not held per connection)\n');
  console.log('count/conn  bytes/conn  kind');
  for (const r of rows.slice(0, Number(values.top))) console.log(`${r.count.toFixed(2).padStart(10)}  ${r.bytes.toFixed(0).padStart(10)}  ${r.kind}`);

  // Objects new since the base snapshot, by the nearest owner that holds them (heap-owners.ts).
  console.log('\nby owner (objects new since the base snapshot, each to the nearest holder that names its owner):');
  for (const owner of attribute(baseIds, afterRead)) {
    console.log(`${kib(owner.bytes / CLIENTS).padStart(8)} KiB  ${(owner.nodes / CLIENTS).toFixed(0).padStart(4)} nodes  ${owner.owner}`);
    const kinds = [...owner.kinds].sort((x, y) => y[1].bytes - x[1].bytes).slice(0, Number(values['owner-top']));
    for (const [kind, k] of kinds) console.log(`${(k.count / CLIENTS).toFixed(2).padStart(22)}  ${(k.bytes / CLIENTS).toFixed(0).padStart(6)} B  ${kind}`);
  }
} finally {
  for (const socket of sockets) socket.terminate();
  await target.stop();
  await database.drop();
  if (values.keep) console.log(`snapshots kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
