import type { AppRouter, ChatMessage, PresenceUpdate, TypingEvent } from '@chat/api';
import { createTRPCClient, createWSClient, httpBatchLink, splitLink, wsLink } from '@trpc/client';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { WebSocket } from 'ws';
import { openStalledSocket } from '../testing/stalled-socket';
import { collect, createTestClient, signUpClient } from '../testing/test-client';
import { redisAvailable, TEST_REDIS_URL } from '../testing/test-redis';
import { startTestServer, type TestServer } from '../testing/testing';

// Two instances of one deployment: same database, same Redis namespace, same JWT secret.
const REDIS_URL = TEST_REDIS_URL;
const hasRedis = await redisAvailable('realtime.test.ts');
let a: TestServer;
let b: TestServer;
beforeAll(async () => {
  if (!hasRedis) return;
  const shared = { redisUrl: REDIS_URL, redisPrefix: `test:${randomBytes(6).toString('hex')}:`, jwtSecret: randomBytes(32).toString('base64url') };
  a = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), ...shared });
  b = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), databaseUrl: a.databaseUrl, ...shared });
});
afterAll(async () => {
  await b?.dispose();
  await a?.dispose();
});


const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));
const byId = (x: string, y: string) => (BigInt(x) < BigInt(y) ? -1 : 1);
/** What a client shows: the last snapshot with the joins and leaves after it applied. */
const onlineNames = (updates: PresenceUpdate[]) => {
  const online = new Map<string, string>();
  for (const u of updates) {
    if (u.type === 'snapshot') {
      online.clear();
      u.users.forEach((user) => online.set(user.id, user.username));
    } else if (u.type === 'join') online.set(u.user.id, u.user.username);
    else online.delete(u.user.id);
  }
  return [...online.values()].sort();
};

describe.skipIf(!hasRedis)('two instances sharing PostgreSQL and Redis', () => {
  it('deliver each other’s messages, presence and typing', async () => {
    const alice = await signUpClient(a, 'alice');
    const bobAuth = await signUpClient(a, 'bob');
    const bob = { ...bobAuth, client: createTestClient(b, bobAuth.token) };

    const bobSees = collect<ChatMessage>();
    const bobPresence = collect<PresenceUpdate>();
    const bobTyping = collect<TypingEvent>();
    const subs = [
      bob.client.trpc.chat.onMessage.subscribe({}, { onData: (e) => bobSees.push(e.data) }),
      bob.client.trpc.chat.onPresence.subscribe(undefined, { onData: (e) => bobPresence.push(e) }),
      bob.client.trpc.chat.onTyping.subscribe(undefined, { onData: (e) => bobTyping.push(e) }),
    ];
    // The first item, whenever it comes (a loaded machine takes longer than a fixed pause), is the snapshot.
    await expect.poll(() => bobPresence.items.length).toBeGreaterThan(0);
    expect(bobPresence.items[0]?.type).toBe('snapshot');
    await expect.poll(() => onlineNames(bobPresence.items)).toEqual([bob.user.username]);

    // Alice connects on instance A: Bob, on B, sees her join.
    const aliceSees = collect<ChatMessage>();
    const aliceSub = alice.client.trpc.chat.onMessage.subscribe({}, { onData: (e) => aliceSees.push(e.data) });
    await expect.poll(() => onlineNames(bobPresence.items)).toEqual([alice.user.username, bob.user.username].sort());
    const found = await bob.client.trpc.user.search.query({ query: alice.user.username });
    expect(found[0]?.online).toBe(true);

    await alice.client.trpc.chat.typing.mutate({ typing: true });
    await expect.poll(() => bobTyping.items).toContainEqual({ user: { id: alice.user.id, username: alice.user.username }, typing: true });

    const sent = await alice.client.trpc.chat.send.mutate({ text: 'hello from A' });
    await expect.poll(() => bobSees.items.map((m) => m.id)).toEqual([sent.id]);
    // Her message ends her typing, on every instance.
    await expect.poll(() => bobTyping.items.at(-1)).toEqual({ user: { id: alice.user.id, username: alice.user.username }, typing: false });
    const reply = await bob.client.trpc.chat.send.mutate({ text: 'hello from B' });
    await expect.poll(() => aliceSees.items.map((m) => m.id)).toEqual([sent.id, reply.id]);

    // Alice leaves: Bob sees it.
    aliceSub.unsubscribe();
    await alice.client.close();
    // After the grace period that absorbs reconnects.
    await expect.poll(() => onlineNames(bobPresence.items), { timeout: 10_000 }).toEqual([bob.user.username]);
    expect(bobPresence.items.at(-1)).toEqual({ type: 'leave', user: { id: alice.user.id, username: alice.user.username } });
    subs.forEach((s) => s.unsubscribe());
    await bob.client.close();
  });

  it('never shows users their own typing', async () => {
    const carol = await signUpClient(a, 'carol');
    const own = collect<TypingEvent>();
    const sub = carol.client.trpc.chat.onTyping.subscribe(undefined, { onData: (e) => own.push(e) });
    await settle();
    await carol.client.trpc.chat.typing.mutate({ typing: true });
    await settle(500);
    expect(own.items).toEqual([]);
    sub.unsubscribe();
    await carol.client.close();
  });

  it('many senders on both instances, subscribers dropped at random: everyone ends with exactly the committed messages, in order', async () => {
    const senders = await Promise.all(Array.from({ length: 6 }, (_, i) => signUpClient(i % 2 ? a : b, `sender${i}`)));
    const readers = await Promise.all(Array.from({ length: 4 }, (_, i) => signUpClient(i % 2 ? a : b, `reader${i}`)));
    const seen = readers.map(() => collect<string>());
    const subs = readers.map((r, i) =>
      r.client.trpc.chat.onMessage.subscribe({}, { onData: (e) => seen[i]!.push(e.data.id) }),
    );
    await settle();
    const firstId = BigInt((await senders[0]!.client.trpc.chat.send.mutate({ text: 'start' })).id);

    // Cut readers' sockets at random while the senders run; wsLink reconnects and resumes by lastEventId.
    let chaos = true;
    const chaosLoop = (async () => {
      while (chaos) {
        await settle(50 + Math.random() * 150);
        const victim = readers[Math.floor(Math.random() * readers.length)]!;
        victim.client.ws.connection?.ws?.close();
      }
    })();
    await Promise.all(senders.map(async (s, i) => {
      for (let n = 0; n < 25; n++) await s.client.trpc.chat.send.mutate({ text: `s${i}-${n}` });
    }));
    chaos = false;
    await chaosLoop;

    const rows = await a.orm.em.fork().getConnection().execute<{ id: string }[]>('select id::text as id from messages where id >= ? order by messages.id', [firstId.toString()]);
    const committed = rows.map((r) => r.id);
    expect(committed).toHaveLength(151);
    for (const s of seen) {
      await expect.poll(() => s.items.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(151);
      const mine = s.items.filter((id) => BigInt(id) >= firstId);
      expect(mine).toEqual(committed);
      expect([...mine].sort(byId)).toEqual(mine);
    }
    subs.forEach((s) => s.unsubscribe());
    await Promise.all([...readers, ...senders].map((r) => r.client.close()));
  }, 60_000);

});

describe('long-lived sockets on one instance', () => {
  it('keeps a subscription alive across token expiry: closed, refreshed, reconnected, nothing lost', async () => {
    const shortLived = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), jwtTtlSeconds: 2 });
    try {
      const writer = await signUpClient(shortLived, 'writer');
      const readerAuth = await signUpClient(shortLived, 'reader');
      let token = readerAuth.token;
      const closes: number[] = [];
      const ws = createWSClient({
        WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
        url: shortLived.wsUrl,
        connectionParams: () => ({ token }),
        retryDelayMs: () => 100,
        onClose: (cause) => cause?.code && closes.push(cause.code),
      });
      const reader = createTRPCClient<AppRouter>({
        links: [
          splitLink({
            condition: (op) => op.type === 'subscription',
            true: wsLink({ client: ws }),
            false: httpBatchLink({ url: `${shortLived.url}/trpc`, headers: () => ({ authorization: `Bearer ${token}` }) }),
          }),
        ],
      });
      // The client renews its token before expiry; the server still closes the old socket at expiry.
      const renew = setInterval(() => void reader.auth.refresh.mutate().then((r) => (token = r.token)), 1_000);
      const seen = collect<string>();
      const sub = reader.chat.onMessage.subscribe({}, { onData: (e) => seen.push(e.data.text) });
      await settle();
      const texts: string[] = [];
      for (let i = 0; i < 40; i++) {
        texts.push(`tick ${i}`);
        await writer.client.trpc.chat.send.mutate({ text: `tick ${i}` }).catch(async () => {
          // The writer's own 2 s token expired: renew it like any client would.
          const fresh = await createTestClient(shortLived, null).trpc.auth.login.mutate({ username: writer.user.username, password: writer.password });
          writer.client = createTestClient(shortLived, fresh.token);
          await writer.client.trpc.chat.send.mutate({ text: `tick ${i}` });
        });
        await settle(100);
      }
      await expect.poll(() => seen.items, { timeout: 10_000 }).toEqual(texts);
      // Each refresh rotates the token: the server asks the socket to move to the new one (the client
      // retires the old socket itself, 1005) and closes any still on a dead token (4401). Either way it moved.
      expect(closes.length).toBeGreaterThan(0);
      expect(closes.filter((code) => code !== 1005 && code !== 4401)).toEqual([]);
      clearInterval(renew);
      sub.unsubscribe();
      ws.close();
    } finally {
      await shortLived.dispose();
    }
  }, 30_000);

  it('cuts off a slow consumer while a fast one keeps receiving', async () => {
    const local = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), slowConsumerBytes: 4 * 1024 * 1024 });
    const writer = await signUpClient(local, 'bulk');
    const fastAuth = await signUpClient(local, 'fast');
    const slowAuth = await signUpClient(local, 'slow');
    const fast = collect<number>();
    const sub = fastAuth.client.trpc.chat.onMessage.subscribe({}, { onData: (e) => fast.push(Date.now() - Date.parse(e.data.createdAt)) });

    // A peer that opens the socket, subscribes, and then never reads again.
    const slow = await openStalledSocket(local.port, [
      JSON.stringify({ method: 'connectionParams', data: { token: slowAuth.token } }),
      JSON.stringify({ id: 1, method: 'subscription', params: { path: 'chat.onMessage', input: {} } }),
    ]);
    const slowClosed = new Promise<void>((resolve) => slow.on('close', () => resolve()));
    await settle();

    // 2000 emoji are 8 KB of JSON per message: enough to fill the kernel's buffers and then ours.
    const big = '🔥'.repeat(1990);
    const total = 2400;
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < total) await writer.client.trpc.chat.send.mutate({ text: `${next++} ${big}` });
      }),
    );
    await expect.poll(() => fast.items.length, { timeout: 30_000 }).toBe(total);
    // A paused socket notices nothing; reading again shows whether the server hung up on it.
    await settle(500);
    slow.resume();
    await slowClosed;
    sub.unsubscribe();
    await fastAuth.client.close();
    await local.dispose();
  }, 60_000);
});
