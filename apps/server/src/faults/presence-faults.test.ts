import type { AppRouter, PresenceUpdate } from '@chat/api';
import { initORM, type Orm } from '@chat/db';
import { createTestDatabase, type TestDatabase } from '@chat/db/testing';
import { createTRPCClient, createWSClient, wsLink } from '@trpc/client';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import Redis from 'ioredis';
import { WebSocket } from 'ws';
import { collect, createTestClient, signUpClient } from '../testing/test-client';
import { type Instance, ownRedis, spawnInstance } from '../testing/test-instance';

// Two real server processes on the machine's PostgreSQL and a Redis of this file's own, which it kills.
const redis = await ownRedis('presence-faults.test.ts');
const TTL_MS = 3_000;
const PREFIX = `test:${randomBytes(6).toString('hex')}:`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether a user is online after applying a presence stream: the last snapshot, then joins and leaves. */
const isOnline = (updates: PresenceUpdate[], userId: string) =>
  updates.reduce(
    (online, u) => (u.type === 'snapshot' ? u.users.some((x) => x.id === userId) : u.user.id === userId ? u.type === 'join' : online),
    false,
  );

/** A user's socket held open on one instance, as a browser tab would. */
async function holdSocket(instance: Instance, token: string): Promise<WebSocket> {
  const socket = new WebSocket(`${instance.wsUrl}?connectionParams=1`);
  socket.on('error', () => {});
  await new Promise((r) => socket.on('open', r));
  socket.send(JSON.stringify({ method: 'connectionParams', data: { token } }));
  return socket;
}

/** Everything over one socket, mutations too: a socket opened before Redis dies needs no HTTP request (whose auth reads Redis). */
function socketOnlyClient(instance: Instance, token: string) {
  const ws = createWSClient({
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    url: instance.wsUrl,
    connectionParams: () => ({ token }),
    retryDelayMs: () => 100,
  });
  return { trpc: createTRPCClient<AppRouter>({ links: [wsLink({ client: ws })] }), close: () => ws.close() };
}

let db: TestDatabase;
let orm: Orm;
const instances: Instance[] = [];
beforeAll(async () => {
  if (!redis) return;
  db = await createTestDatabase(inject('adminDatabaseUrl'));
  const env = {
    DATABASE_URL: db.url,
    REDIS_URL: redis.url,
    REDIS_PREFIX: PREFIX,
    JWT_SECRET: randomBytes(32).toString('base64url'),
    PRESENCE_TTL_MS: String(TTL_MS),
    RATE_LIMIT_SIGNUPS_PER_HOUR: '1000',
    RATE_LIMIT_MESSAGES_PER_10S: '10000',
  };
  instances.push(await spawnInstance(env));
  instances.push(await spawnInstance(env));
  orm = await initORM({ clientUrl: db.url, poolMax: 1 });
}, 60_000);
afterAll(async () => {
  for (const i of instances) i.process.kill('SIGKILL');
  await orm?.close();
  await db?.drop();
  await redis?.kill();
});

describe.skipIf(!redis)('presence after faults', () => {
  it('Redis killed and restarted under traffic: messages keep flowing, and whoever left meanwhile is announced gone', async () => {
    const [a, b] = instances as [Instance, Instance];
    const [writer, reader, observer, leaver, stayer] = await Promise.all(['writer', 'reader', 'observer', 'leaver', 'stayer'].map((p) => signUpClient(b, p)));
    if (!writer || !reader || !observer || !leaver || !stayer) throw new Error('signup failed');
    const presence = collect<PresenceUpdate>();
    observer.client.trpc.chat.onPresence.subscribe(undefined, { onData: (e) => presence.push(e) });
    const seen = collect<string>();
    reader.client.trpc.chat.onMessage.subscribe({}, { onData: (e) => seen.push(e.data.id) });
    const leaverSocket = await holdSocket(a, leaver.token);
    const stayerSocket = await holdSocket(a, stayer.token);
    await expect.poll(() => isOnline(presence.items, leaver.user.id) && isOnline(presence.items, stayer.user.id), { timeout: 5_000 }).toBe(true);

    // The writer sends over its socket on A all along; the reader and the observer sit on B.
    const sender = socketOnlyClient(a, writer.token);
    const acked: string[] = [];
    let sending = true;
    const sending$ = (async () => {
      for (let n = 0; sending; n++) {
        const clientMessageId = `m${n}`;
        // A failed send is retried with the same clientMessageId until it is acknowledged.
        for (let attempt = 0; attempt < 100; attempt++) {
          try {
            acked.push((await sender.trpc.chat.send.mutate({ text: `tick ${n}`, clientMessageId })).id);
            break;
          } catch {
            await sleep(100);
          }
        }
        await sleep(40);
      }
    })();
    await expect.poll(() => seen.items.length, { timeout: 5_000 }).toBeGreaterThan(3);

    let seenAtKill = 0;
    let seenAtRestart = 0;
    try {
      await redis!.kill();
      leaverSocket.close();
      seenAtKill = seen.items.length;
      await sleep(4_000);
      seenAtRestart = seen.items.length;
    } finally {
      await redis!.start();
    }
    await sleep(1_000);
    sending = false;
    await sending$;
    // Sent and delivered while Redis was down (B reads them from PostgreSQL). How many depends on
    // how long a send waits on the dead Redis for its rate limit (the Redis command timeout).
    expect(seenAtRestart).toBeGreaterThan(seenAtKill);

    // Presence converges with no one doing anything: the stream and user.search agree.
    const search = createTestClient(b, observer.token).trpc.user.search;
    const onlineBySearch = async (username: string) => (await search.query({ query: username })).find((u) => u.username === username)?.online;
    await expect.poll(() => isOnline(presence.items, leaver.user.id), { timeout: 3 * TTL_MS }).toBe(false);
    await expect.poll(() => onlineBySearch(leaver.user.username), { timeout: 3 * TTL_MS }).toBe(false);
    await expect.poll(() => onlineBySearch(stayer.user.username), { timeout: 3 * TTL_MS }).toBe(true);
    // The stream converges too, on its own reconciliation round (decision 060), which may come after search's answer.
    await expect.poll(() => isOnline(presence.items, stayer.user.id), { timeout: 3 * TTL_MS }).toBe(true);

    // Every acknowledged message stored once; the reader saw every stored message once, in id order.
    const stored = (await orm.em.fork().getConnection().execute<{ id: string }[]>('select id::text as id from messages order by messages.id')).map((r) => r.id);
    expect(stored).toEqual([...acked].sort((x, y) => Number(x) - Number(y)));
    expect(new Set(acked).size).toBe(acked.length);
    await expect.poll(() => seen.items.length, { timeout: 10_000 }).toBe(stored.length);
    expect(seen.items).toEqual(stored);

    stayerSocket.close();
    sender.close();
    await Promise.all([observer, reader].map((u) => u.client.close()));
  }, 45_000);

  it('an instance stalled past the TTL: its users are announced gone, then back, as user.search says', async () => {
    const [a, b] = instances as [Instance, Instance];
    const [observer, stalled] = await Promise.all(['observer', 'stalled'].map((p) => signUpClient(b, p)));
    if (!observer || !stalled) throw new Error('signup failed');
    const presence = collect<PresenceUpdate>();
    observer.client.trpc.chat.onPresence.subscribe(undefined, { onData: (e) => presence.push(e) });
    const socket = await holdSocket(a, stalled.token);
    await expect.poll(() => isOnline(presence.items, stalled.user.id), { timeout: 5_000 }).toBe(true);
    const search = observer.client.trpc.user.search;
    const onlineBySearch = async () => (await search.query({ query: stalled.user.username })).find((u) => u.id === stalled.user.id)?.online;

    a.process.kill('SIGSTOP');
    try {
      // A's entries expire and B retires them.
      await expect.poll(() => isOnline(presence.items, stalled.user.id), { timeout: 3 * TTL_MS }).toBe(false);
      expect(await onlineBySearch()).toBe(false);
    } finally {
      a.process.kill('SIGCONT');
    }
    // A wakes with the socket still open: the user is back, on the stream as in the search.
    await expect.poll(onlineBySearch, { timeout: 2 * TTL_MS }).toBe(true);
    await expect.poll(() => isOnline(presence.items, stalled.user.id), { timeout: 2 * TTL_MS }).toBe(true);
    socket.close();
    await observer.client.close();
  }, 40_000);
  it('Redis stalled while a user leaves: the heartbeats queued meanwhile never mark them online after it returns', async () => {
    const [a, b] = instances as [Instance, Instance];
    const observer = await signUpClient(b, 'observer');
    const departed = await signUpClient(a, 'departed');
    const search = createTestClient(b, observer.token).trpc.user.search;
    const onlineBySearch = async () => (await search.query({ query: departed.user.username })).find((u) => u.id === departed.user.id)?.online;
    const socket = await holdSocket(a, departed.token);
    await expect.poll(onlineBySearch, { timeout: 5_000 }).toBe(true);
    // What online() reads, straight from Redis: the user's score in the online set, an expiry.
    const reader = new Redis(redis!.url);
    const onlineNow = async () => Number((await reader.zscore(`${PREFIX}presence:online`, departed.user.id)) ?? 0) > Date.now();
    // Every write to the user's instance set, as Redis runs it: a late heartbeat shows as a zadd, however soon it is repaired.
    await reader.config('SET', 'notify-keyspace-events', 'Kz');
    const notifications = reader.duplicate();
    const writes: string[] = [];
    notifications.on('message', (_channel: string, op: string) => writes.push(op));
    await notifications.subscribe(`__keyspace@0__:${PREFIX}presence:user:${departed.user.id}`);

    // SIGSTOP: A's sockets to Redis stay open, so each heartbeat's write waits in them, past its command timeout.
    const stoppedAt = Date.now();
    writes.length = 0;
    redis!.pause();
    try {
      socket.close();
      // The leave (after the 2 s grace) fails too; resume once the last write made before the stall has expired.
      await sleep(TTL_MS + 500);
    } finally {
      redis!.resume();
    }
    const seenOnline: number[] = [];
    for (const end = Date.now() + 3 * (TTL_MS / 3) + 500; Date.now() < end; await sleep(20)) {
      if (await onlineNow()) seenOnline.push(Date.now() - stoppedAt);
    }
    expect(writes.filter((op) => op === 'zadd')).toEqual([]);
    expect(seenOnline).toEqual([]);
    expect(await onlineBySearch()).toBe(false);
    notifications.disconnect();
    reader.disconnect();
    await Promise.all([observer, departed].map((u) => u.client.close()));
  }, 30_000);
});
