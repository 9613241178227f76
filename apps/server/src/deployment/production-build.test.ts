import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@chat/db/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { collect, createTestClient, signUpClient } from '../testing/test-client';

// The production build, started the way `pnpm start` and the container start it: plain `node` on
// dist/main.js with NODE_ENV=production, no TypeScript tooling, default paths (so the web app is
// found from dist/ as it is from src/).
const serverDir = fileURLToPath(new URL('../..', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));

interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

let database: TestDatabase;
let child: ChildProcess;
let stdout = '';
let url = '';
let wsUrl = '';
const dataDir = mkdtempSync(join(tmpdir(), 'chat-prod-'));

const logLines = (): LogLine[] =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine);

/** The value of one sample in Prometheus text format, 0 when absent. */
const sample = (text: string, name: string, labels = '') => {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
};
const metricsToken = randomBytes(24).toString('hex');
const scrape = async () => (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).text();

const waitFor = async (predicate: () => boolean | Promise<boolean>, what: string, ms = 5_000) => {
  const until = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

beforeAll(async () => {
  // Fresh bundle of the current source (esbuild: a fraction of a second); the root `pnpm test` has
  // built the web app, and a lone run of this file builds it here.
  execFileSync(process.execPath, ['scripts/bundle.mjs'], { cwd: serverDir, stdio: 'pipe' });
  if (!existsSync(join(repoRoot, 'apps/web/dist/index.html'))) execFileSync('pnpm', ['--filter', '@chat/web', 'build'], { cwd: repoRoot, stdio: 'pipe' });
  database = await createTestDatabase(inject('adminDatabaseUrl'));
  child = spawn(process.execPath, ['--enable-source-maps', 'dist/main.js'], {
    cwd: serverDir,
    // Only what the test means: no inherited DATABASE_URL, REDIS_URL or WEB_DIST_DIR.
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      JWT_SECRET: randomBytes(48).toString('base64'),
      DATABASE_URL: database.url,
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'debug',
      METRICS_TOKEN: metricsToken,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await waitFor(() => {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${stdout}\n${stderr}`);
    return logLines().some((l) => l.msg.startsWith('chat server ready'));
  }, 'the server to listen', 30_000);
  const port = logLines().find((l) => l.msg.startsWith('chat server ready'))?.port as number;
  url = `http://127.0.0.1:${port}`;
  wsUrl = `ws://127.0.0.1:${port}/ws`;
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
  }
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the production build (node dist/main.js)', () => {
  it('answers /healthz, /readyz with its checks, and /metrics in Prometheus format', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok' } });
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    const metrics = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await metrics.text();
    for (const name of [
      'chat_websockets_open',
      'chat_users_online',
      'chat_subscriptions_active',
      'chat_messages_sent_total',
      'chat_messages_delivered_total',
      'chat_message_delivery_latency_seconds_bucket',
      'chat_auth_failures_total',
      'chat_rate_limit_refusals_total',
      'nodejs_eventloop_lag_seconds',
      'chat_db_pool_connections',
      'chat_db_query_duration_seconds_count',
    ]) {
      expect(text, name).toContain(name);
    }
    // /readyz ran a query through the pool.
    expect(sample(text, 'chat_db_query_duration_seconds_count', 'outcome="ok"')).toBeGreaterThan(0);
  });

  it('serves the built web app and its hashed assets', async () => {
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    expect(html).toBe(readFileSync(join(repoRoot, 'apps/web/dist/index.html'), 'utf8'));
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });

  it('runs a signup-to-message round trip, and the message counters move', async () => {
    const before = await scrape();
    const alice = await signUpClient({ url, wsUrl }, 'alice');
    const bob = await signUpClient({ url, wsUrl }, 'bob');
    const received = collect<{ text: string }>();
    const sub = bob.client.trpc.chat.onMessage.subscribe({}, { onData: (m) => received.push(m.data) });
    await waitFor(async () => sample(await scrape(), 'chat_subscriptions_active') >= 1, 'the subscription');
    await alice.client.trpc.chat.send.mutate({ text: 'hello from the production build' });
    await waitFor(() => received.items.some((m) => m.text === 'hello from the production build'), 'the message');

    const after = await scrape();
    expect(sample(after, 'chat_messages_sent_total') - sample(before, 'chat_messages_sent_total')).toBe(1);
    expect(sample(after, 'chat_messages_delivered_total') - sample(before, 'chat_messages_delivered_total')).toBe(1);
    expect(sample(after, 'chat_message_delivery_latency_seconds_count') - sample(before, 'chat_message_delivery_latency_seconds_count')).toBe(1);
    expect(sample(after, 'chat_websockets_open')).toBe(1);
    expect(sample(after, 'chat_users_online')).toBe(1);

    sub.unsubscribe();
    await bob.client.close();
    await waitFor(async () => sample(await scrape(), 'chat_websockets_open') === 0, 'the socket to close');
    const closed = await scrape();
    expect(sample(closed, 'chat_users_online')).toBe(0);
    expect(sample(closed, 'chat_subscriptions_active')).toBe(0);
  });

  it('counts refused passwords and tokens by kind', async () => {
    const before = await scrape();
    const anon = createTestClient({ url, wsUrl }, null);
    await expect(anon.trpc.auth.login.mutate({ username: 'nobody_here', password: 'wrong password 1' })).rejects.toThrow();
    const forged = createTestClient({ url, wsUrl }, 'not.a.token');
    await expect(forged.trpc.chat.history.query({})).rejects.toThrow();
    const after = await scrape();
    const delta = (kind: string) => sample(after, 'chat_auth_failures_total', `kind="${kind}"`) - sample(before, 'chat_auth_failures_total', `kind="${kind}"`);
    expect(delta('password')).toBe(1);
    expect(delta('token')).toBe(1);
  });

  it('logs one JSON line per request and socket event, with ids and the user, and never a password or token', async () => {
    const { token, user, password, client } = await signUpClient({ url, wsUrl }, 'carol');
    const sub = client.trpc.chat.onMessage.subscribe({}, { onData: () => {} });
    await client.trpc.chat.send.mutate({ text: 'log me' });
    await waitFor(() => logLines().some((l) => l.msg === 'socket authenticated' && l.userId === user.id), 'the socket to authenticate');
    sub.unsubscribe();
    await client.close();
    await waitFor(() => logLines().some((l) => l.msg === 'socket closed' && l.userId === user.id), 'the socket close line');

    expect(stdout).not.toContain(password);
    expect(stdout).not.toContain(token);
    expect(stdout.toLowerCase()).not.toContain('bearer');
    expect(stdout).not.toContain('connectionParams');

    const send = logLines().find((l) => l.msg === 'request' && l.path === '/trpc/chat.send' && l.userId === user.id);
    expect(send).toMatchObject({ method: 'POST', status: 200, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const opened = logLines().filter((l) => l.msg === 'socket open');
    const closed = logLines().find((l) => l.msg === 'socket closed' && l.userId === user.id);
    expect(opened.map((l) => l.connectionId)).toContain(closed?.connectionId);
    // Health probes stay at debug level, so they do not drown real traffic at the default info level.
    expect(logLines().find((l) => l.msg === 'request' && l.path === '/healthz')?.level).toBe(20);
  });

  it('stops cleanly on SIGTERM', async () => {
    child.kill('SIGTERM');
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(0);
    expect(logLines().at(-1)?.msg).toBe('stopped');
  });
});
