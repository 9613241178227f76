import type { AppRouter, PresenceUpdate } from '@chat/api';
import { createTestDatabase, type TestDatabase } from '@chat/db/testing';
import { createTRPCClient, createWSClient, httpBatchLink, splitLink, wsLink } from '@trpc/client';
import { randomBytes } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { WebSocket } from 'ws';
import { collect, signUpClient } from '../testing/test-client';
import { freePort } from '@chat/db/free-port';
import { type Instance, spawnInstance } from '../testing/test-instance';
import { redisAvailable, TEST_REDIS_URL } from '../testing/test-redis';
import { startTestServer } from '../testing/testing';

// Real server processes sharing PostgreSQL and Redis, as behind a load balancer.
const REDIS_URL = TEST_REDIS_URL;
const hasRedis = await redisAvailable('failover.test.ts');
/** Whether a user is online after applying a presence stream: the last snapshot, then joins and leaves. */
const isOnline = (updates: PresenceUpdate[], userId: string) =>
  updates.reduce(
    (online, u) => (u.type === 'snapshot' ? u.users.some((x) => x.id === userId) : u.user.id === userId ? u.type === 'join' : online),
    false,
  );

let db: TestDatabase;
const instances: Instance[] = [];
beforeAll(async () => {
  if (!hasRedis) return;
  db = await createTestDatabase(inject('adminDatabaseUrl'));
  const env = {
    DATABASE_URL: db.url,
    REDIS_URL,
    REDIS_PREFIX: `test:${randomBytes(6).toString('hex')}:`,
    JWT_SECRET: randomBytes(32).toString('base64url'),
    PRESENCE_TTL_MS: '3000',
    RATE_LIMIT_SIGNUPS_PER_HOUR: '1000',
    RATE_LIMIT_MESSAGES_PER_10S: '10000',
  };
  // The first runs the migrations; the second then finds them applied.
  instances.push(await spawnInstance(env));
  instances.push(await spawnInstance(env));
}, 60_000);
afterAll(async () => {
  for (const i of instances) i.process.kill('SIGKILL');
  await db?.drop();
});

describe.skipIf(!hasRedis)('an instance killed mid-stream', () => {
  it('its clients resume on the other instance with nothing lost, and its presence entries expire', async () => {
    const [a, b] = instances as [Instance, Instance];
    const writer = await signUpClient(b, 'writer');
    const reader = await signUpClient(b, 'reader');
    const ghost = await signUpClient(b, 'ghost');

    // An observer on B watches presence.
    const observer = await signUpClient(b, 'observer');
    const presence = collect<PresenceUpdate>();
    observer.client.trpc.chat.onPresence.subscribe(undefined, { onData: (e) => presence.push(e) });

    // The ghost holds a socket on A only and never reconnects.
    const ghostSocket = new WebSocket(`${a.wsUrl}?connectionParams=1`);
    ghostSocket.on('error', () => {});
    await new Promise((r) => ghostSocket.on('open', r));
    ghostSocket.send(JSON.stringify({ method: 'connectionParams', data: { token: ghost.token } }));
    // Online as the observer sees it: the snapshot (taken whenever its subscription started) plus later events.
    await expect.poll(() => isOnline(presence.items, ghost.user.id), { timeout: 5_000 }).toBe(true);

    // The reader connects through a "load balancer" that tries A first, then the next one.
    let attempt = 0;
    const ws = createWSClient({
      WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
      url: () => (attempt++ === 0 ? a.wsUrl : b.wsUrl),
      connectionParams: () => ({ token: reader.token }),
      retryDelayMs: () => 100,
    });
    const readerClient = createTRPCClient<AppRouter>({
      links: [splitLink({ condition: (op) => op.type === 'subscription', true: wsLink({ client: ws }), false: httpBatchLink({ url: `${b.url}/trpc` }) })],
    });
    const seen = collect<string>();
    readerClient.chat.onMessage.subscribe({}, { onData: (e) => seen.push(e.data.id) });
    await new Promise((r) => setTimeout(r, 500));

    const sent: string[] = [];
    let sending = true;
    const sender = (async () => {
      while (sending) {
        sent.push((await writer.client.trpc.chat.send.mutate({ text: `tick ${sent.length}` })).id);
        await new Promise((r) => setTimeout(r, 30));
      }
    })();
    await expect.poll(() => seen.items.length, { timeout: 5_000 }).toBeGreaterThan(5);
    a.process.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 1_500));
    sending = false;
    await sender;

    await expect.poll(() => seen.items.length, { timeout: 10_000 }).toBe(sent.length);
    expect(seen.items).toEqual(sent);
    expect(attempt).toBeGreaterThan(1);
    // A died without saying goodbye: the ghost's entry expires (3 s TTL) and B announces the leave.
    await expect.poll(() => isOnline(presence.items, ghost.user.id), { timeout: 10_000 }).toBe(false);
    expect(presence.items.some((u) => u.type === 'leave' && u.user.id === ghost.user.id)).toBe(true);
    ws.close();
    await observer.client.close();
  }, 60_000);
});

/** A TCP proxy in front of Redis that the test can cut and restore. */
async function redisProxy(target: URL): Promise<{ url: string; cut(): void; restore(): Promise<void>; close(): void }> {
  const sockets = new Set<Socket>();
  let server: Server;
  const port = await freePort();
  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(Number(target.port || 6379), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('error', () => {});
          s.on('close', () => sockets.delete(s));
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => resolve());
    });
  await listen();
  return {
    url: `redis://127.0.0.1:${port}`,
    cut() {
      server.close();
      for (const s of sockets) s.destroy();
    },
    restore: listen,
    close() {
      server.close();
      for (const s of sockets) s.destroy();
    },
  };
}

describe.skipIf(!hasRedis)('an instance that loses Redis for a while', () => {
  it('keeps delivering other instances’ messages from the database, reports degraded, and recovers', async () => {
    const proxy = await redisProxy(new URL(REDIS_URL));
    const shared = { redisPrefix: `test:${randomBytes(6).toString('hex')}:`, jwtSecret: randomBytes(32).toString('base64url') };
    const a = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), redisUrl: proxy.url, ...shared });
    const b = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), databaseUrl: a.databaseUrl, redisUrl: REDIS_URL, ...shared });
    try {
      const reader = await signUpClient(a, 'reader');
      const writer = await signUpClient(b, 'writer');
      const seen = collect<string>();
      reader.client.trpc.chat.onMessage.subscribe({}, { onData: (e) => seen.push(e.data.id) });
      await new Promise((r) => setTimeout(r, 300));
      const sent = [(await writer.client.trpc.chat.send.mutate({ text: 'before' })).id];
      await expect.poll(() => seen.items).toEqual(sent);

      proxy.cut();
      await expect.poll(async () => (await (await fetch(`${a.url}/healthz`)).json()) as unknown, { timeout: 10_000 }).toEqual({ status: 'degraded', bus: 'down' });
      for (let i = 0; i < 5; i++) sent.push((await writer.client.trpc.chat.send.mutate({ text: `during ${i}` })).id);
      // Redis is still down for A: these arrive through its database polling.
      await expect.poll(() => seen.items, { timeout: 10_000 }).toEqual(sent);

      await proxy.restore();
      await expect.poll(async () => (await fetch(`${a.url}/healthz`)).json(), { timeout: 15_000 }).toEqual({ status: 'ok' });
      sent.push((await writer.client.trpc.chat.send.mutate({ text: 'after' })).id);
      await expect.poll(() => seen.items).toEqual(sent);
      await reader.client.close();
    } finally {
      await b.dispose();
      await a.dispose();
      proxy.close();
    }
  }, 60_000);
});

