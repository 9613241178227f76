// Heap per WebSocket connection of our server, by kind: heap snapshots before and after N
// authenticated clients, diffed. `pnpm bench:heap -- --clients 2000 --subscribe message`
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createTestDatabase } from '@chat/db/testing';
import WebSocket from 'ws';
import { type HeapSummary, summarise } from './heap-summary';

const { values } = parseArgs({
  // pnpm passes on the `--` that separates its own options.
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    clients: { type: 'string', default: '2000' },
    // message: chat.onMessage (as the bench's clients); all: also onPresence and onTyping (as the web app); none: auth.me only.
    subscribe: { type: 'string', default: 'message' },
    top: { type: 'string', default: '40' },
    'admin-url': { type: 'string', default: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    keep: { type: 'boolean', default: false },
  },
});
const CLIENTS = Number(values.clients);
const WARM = 20;
const serverDist = fileURLToPath(new URL('../../apps/server/dist/main.js', import.meta.url));
if (!existsSync(serverDist)) throw new Error('build the server first: pnpm --filter @chat/server build');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const dir = mkdtempSync(`${tmpdir()}/chat-heap-`);
const database = await createTestDatabase(values['admin-url']);
const port = 20000 + Math.floor(Math.random() * 20000);
const url = `http://127.0.0.1:${port}`;
const unlimited = '1000000000';
const child: ChildProcess = fork(serverDist, [], {
  cwd: dir,
  execArgv: ['--expose-gc', '--heapsnapshot-signal=SIGUSR2', '--import', fileURLToPath(new URL('../src/probe.mjs', import.meta.url))],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  env: {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dir,
    DATABASE_URL: database.url,
    JWT_SECRET: randomBytes(48).toString('base64url'),
    LOG_LEVEL: 'warn',
    RATE_LIMIT_SIGNUPS_PER_HOUR: unlimited,
    RATE_LIMIT_WS_CONNECTS_PER_MINUTE: unlimited,
  },
});

/** heapUsed after a full GC, from the bench's probe (the same figure the bench reports). */
const heapUsed = () =>
  new Promise<number>((resolve) => {
    const onMessage = (m: { type?: string; heapUsed?: number }) => {
      if (m?.type !== 'probe') return;
      child.off('message', onMessage);
      resolve(m.heapUsed ?? 0);
    };
    child.on('message', onMessage);
    child.send({ type: 'probe', id: 1, gc: true });
  });

async function snapshot(): Promise<{ heapUsed: number; summary: HeapSummary }> {
  await sleep(2500);
  const used = await heapUsed();
  const before = new Set(readdirSync(dir));
  child.kill('SIGUSR2');
  for (;;) {
    await sleep(500);
    const file = readdirSync(dir).find((f) => f.endsWith('.heapsnapshot') && !before.has(f));
    if (!file) continue;
    const size = statSync(`${dir}/${file}`).size;
    await sleep(1000);
    if (size > 0 && statSync(`${dir}/${file}`).size === size) return { heapUsed: used, summary: summarise(`${dir}/${file}`) };
  }
}

const sockets: WebSocket[] = [];
function connect(token: string): Promise<void> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/ws?connectionParams=1`, { perMessageDeflate: false });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.on('open', () => {
      socket.send(JSON.stringify({ method: 'connectionParams', data: { token } }));
      if (values.subscribe === 'none') socket.send(JSON.stringify({ id: 1, method: 'query', params: { path: 'auth.me' } }));
      else socket.send(JSON.stringify({ id: 1, method: 'subscription', params: { path: 'chat.onMessage', input: {} } }));
      if (values.subscribe === 'all') {
        socket.send(JSON.stringify({ id: 2, method: 'subscription', params: { path: 'chat.onPresence' } }));
        socket.send(JSON.stringify({ id: 3, method: 'subscription', params: { path: 'chat.onTyping' } }));
      }
    });
    socket.on('message', (raw) => {
      const text = String(raw);
      if (text === 'PING') return socket.send('PONG');
      const msg = JSON.parse(text) as { id?: number; result?: { type?: string }; error?: { message?: string } };
      if (msg.error) reject(new Error(msg.error.message));
      else if (msg.id === 1) resolve();
    });
    socket.on('error', reject);
  });
}

try {
  while (!(await fetch(`${url}/healthz`).then((r) => r.ok, () => false))) await sleep(200);
  const tokens: string[] = [];
  for (let i = 0; i < 10; i++) {
    const res = await fetch(`${url}/trpc/auth.signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: `heap_${i}_${randomBytes(3).toString('hex')}`, password: 'heap-password-1234' }) });
    tokens.push(((await res.json()) as { result: { data: { token: string } } }).result.data.token);
  }
  const connectMany = async (n: number) => {
    for (let i = 0; i < n; i += 100) await Promise.all(Array.from({ length: Math.min(100, n - i) }, (_, k) => connect(tokens[(i + k) % tokens.length]!)));
  };
  // Warm-up connections first, so code compiled on the first connections is in both snapshots.
  await connectMany(WARM);
  const base = await snapshot();
  await connectMany(CLIENTS);
  const after = await snapshot();

  const rows = [...new Set([...base.summary.kinds.keys(), ...after.summary.kinds.keys()])].map((kind) => {
    const a = after.summary.kinds.get(kind) ?? { count: 0, bytes: 0 };
    const b = base.summary.kinds.get(kind) ?? { count: 0, bytes: 0 };
    return { kind, count: (a.count - b.count) / CLIENTS, bytes: (a.bytes - b.bytes) / CLIENTS };
  });
  rows.sort((x, y) => y.bytes - x.bytes);
  const kib = (bytes: number) => (bytes / 1024).toFixed(2);
  console.log(`${CLIENTS} clients (subscribe: ${values.subscribe}); per connection:`);
  console.log(`  heapUsed after GC  ${kib((after.heapUsed - base.heapUsed) / CLIENTS)} KiB`);
  console.log(`  snapshot nodes     ${kib((after.summary.totalBytes - base.summary.totalBytes) / CLIENTS)} KiB in ${((after.summary.nodes - base.summary.nodes) / CLIENTS).toFixed(0)} nodes`);
  console.log('  ("code" is compiled code, noise from when V8 optimises, not held per connection)\n');
  console.log('count/conn  bytes/conn  kind');
  for (const r of rows.slice(0, Number(values.top))) console.log(`${r.count.toFixed(2).padStart(10)}  ${r.bytes.toFixed(0).padStart(10)}  ${r.kind}`);
} finally {
  for (const socket of sockets) socket.terminate();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  await database.drop();
  if (values.keep) console.log(`snapshots kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
