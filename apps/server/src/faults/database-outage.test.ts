import { type ChatClient, type ChatMessage, createChatClient, type MessageSubscription } from '@chat/client';
import { repositoriesFor } from '@chat/db';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRetryingWriter } from '../testing/retrying-writer';
import { createTestClient, signUpClient } from '../testing/test-client';
import { postgresBinariesAvailable, type ScratchPostgres, startScratchPostgres } from '../testing/test-postgres';
import { redisAvailable, TEST_REDIS_URL } from '../testing/test-redis';
import { startTestServer, type TestServer } from '../testing/testing';

// PostgreSQL stopped and started under traffic, across two instances: a PostgreSQL of the
// test's own, since stopping the shared one would break every other test running.
const ready = postgresBinariesAvailable('database-outage.test.ts') && (await redisAvailable('database-outage.test.ts'));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Log lines as objects, to count what the servers said about the outage. */
function capturedLogger() {
  const lines: { level: number; msg: string; refused?: number; seconds?: number }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as (typeof lines)[number]) });
  return { logger, lines };
}

let postgres: ScratchPostgres;
const servers: TestServer[] = [];
const logs = [capturedLogger(), capturedLogger()];
const clients: ChatClient[] = [];
beforeAll(async () => {
  if (!ready) return;
  postgres = await startScratchPostgres();
  const shared = { adminDatabaseUrl: postgres.adminUrl, redisUrl: TEST_REDIS_URL, redisPrefix: `test:${randomBytes(6).toString('hex')}:`, jwtSecret: randomBytes(32).toString('base64url') };
  const a = await startTestServer({ ...shared, logger: logs[0]!.logger });
  servers.push(a, await startTestServer({ ...shared, databaseUrl: a.databaseUrl, logger: logs[1]!.logger }));
}, 60_000);
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  for (const server of servers.reverse()) await server.dispose().catch(() => undefined);
  await postgres?.dispose();
});

function watch(client: ChatClient, after?: string) {
  const seen: string[] = [];
  const errors: unknown[] = [];
  const subscription: MessageSubscription = client.onMessage((m: ChatMessage) => void seen.push(m.id), { onError: (e) => errors.push(e), ...(after ? { after } : {}) });
  return { seen, errors, subscription };
}

/** The same through `onEvent`: the #everyone messages among all events. */
function watchEvents(client: ChatClient, after?: string) {
  const seen: string[] = [];
  const errors: unknown[] = [];
  const subscription = client.onEvent((e) => void (e.type === 'message.created' && seen.push(e.message.id)), { onError: (e) => errors.push(e), ...(after ? { after } : {}) });
  return { seen, errors, subscription };
}

/** Straight from PostgreSQL, not through the API. */
const storedMessages = (server: TestServer) =>
  server.orm.em.fork().execute<{ id: string; client_message_id: string | null }[]>('select m.id::text as id, m.client_message_id from messages m order by m.id');

describe.skipIf(!ready)('PostgreSQL stopped and started under traffic', () => {
  it('refuses with SERVICE_UNAVAILABLE meanwhile, then every acknowledged message is stored once and delivered once, in order, on both instances', async () => {
    const [a, b] = servers as [TestServer, TestServer];
    const connect = async (server: TestServer) => {
      const client = await createChatClient({ url: server.url, username: `sub${randomBytes(4).toString('hex')}`, password: 'correct horse battery', signup: true, retryDelayMs: () => 100 });
      clients.push(client);
      return client;
    };
    const [onA, onB, lateOnA, lateOnB] = await Promise.all([connect(a), connect(b), connect(a), connect(b)]);
    const watchers = [watch(onA!), watch(onB!)];
    await Promise.all(watchers.map((w) => w.subscription.ready));
    const writers = await Promise.all([signUpClient(a, 'wa'), signUpClient(b, 'wb')]);
    const sender = (server: TestServer, token: string, name: string) => {
      const trpc = createTestClient(server, token).trpc;
      return startRetryingWriter(name, (text, clientMessageId) => trpc.chat.send.mutate({ text, clientMessageId }));
    };
    const senders = [sender(a, writers[0].token, 'a'), sender(b, writers[1].token, 'b')];

    await sleep(1_200);
    const firstId = senders[0]!.acknowledged[0]!.id;
    const eventCursorBefore = (await onA!.chat.eventCursor.query()).cursor;
    await postgres.stop();
    // Opened while the database is down: one must replay from an id (its backlog read fails),
    // the other must find where the stream stands (its history read fails). Both must retry by themselves.
    const late = [watch(lateOnA!, firstId), watch(lateOnB!)];
    // onEvent likewise: one from a saved event id (its replay fails), one from now (chat.eventCursor fails).
    const lateEvents = [watchEvents(lateOnA!, eventCursorBefore), watchEvents(lateOnB!)];
    await sleep(300);
    const refused = await fetch(`${a.url}/trpc/chat.send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${writers[0].token}` },
      body: JSON.stringify({ text: 'raw', clientMessageId: 'raw-1' }),
    });
    await sleep(2_500);
    await postgres.start();
    const acknowledgedBefore = senders.map((s) => s.acknowledged.length);

    // Both senders get through again by retrying, then the room falls silent.
    await expect.poll(() => senders.every((s, i) => s.acknowledged.length > acknowledgedBefore[i]! + 2), { timeout: 15_000 }).toBe(true);
    // The late subscriptions got going by themselves, while messages still flow.
    await Promise.all([...late, ...lateEvents].map((w) => w.subscription.ready));
    await sleep(300);
    await Promise.all(senders.map((s) => s.stop()));
    // Stored with no event, as an append whose answer was lost and whose retry found it stored:
    // nobody publishes it, and nobody sends after it. Only the instances' own checks can find it.
    // (Through the repository: a message is stored with its message.created event, as every append is.)
    await repositoriesFor(a.orm.em.fork()).messages.append({ authorId: writers[0].user.id, text: 'unannounced', clientMessageId: 'unannounced-1' });

    const stored = await storedMessages(a);
    const storedIds = stored.map((m) => m.id);
    // Every acknowledged message is stored exactly once, under its clientMessageId.
    for (const sender of senders) {
      for (const ack of sender.acknowledged) expect(stored.filter((m) => m.client_message_id === ack.clientMessageId).map((m) => m.id)).toEqual([ack.id]);
    }
    expect(new Set(stored.map((m) => m.client_message_id)).size).toBe(stored.length);

    // Every subscriber sees every stored message after its start exactly once, in id order, unaided.
    await expect.poll(() => watchers.map((w) => w.seen), { timeout: 10_000 }).toEqual([storedIds, storedIds]);
    await expect.poll(() => late[0]!.seen, { timeout: 10_000 }).toEqual(storedIds.filter((id) => BigInt(id) > BigInt(firstId)));
    await expect.poll(() => late[1]!.seen.at(-1), { timeout: 10_000 }).toBe(storedIds.at(-1));
    expect(late[1]!.seen).toEqual(storedIds.slice(storedIds.indexOf(late[1]!.seen[0]!)));
    for (const w of late) expect(w.errors.map((e) => (e as { data?: { code?: string } }).data?.code)).toEqual(['SERVICE_UNAVAILABLE']);
    const afterCursor = storedIds.filter((id) => !lateEvents[0]!.seen.length || BigInt(id) >= BigInt(lateEvents[0]!.seen[0]!));
    await expect.poll(() => lateEvents[0]!.seen, { timeout: 10_000 }).toEqual(afterCursor);
    expect(lateEvents[0]!.seen.length).toBeGreaterThan(0);
    await expect.poll(() => lateEvents[1]!.seen.at(-1), { timeout: 10_000 }).toBe(storedIds.at(-1));
    for (const w of lateEvents) expect(w.errors.map((e) => (e as { data?: { code?: string } }).data?.code)).toEqual(['SERVICE_UNAVAILABLE']);

    // Refusals said "unavailable, retry", never "internal error".
    const failures = senders.flatMap((s) => s.failures);
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.filter((f) => f.code !== 'SERVICE_UNAVAILABLE')).toEqual([]);
    expect(failures.every((f) => typeof f.retryAfterSeconds === 'number' && f.retryAfterSeconds > 0)).toBe(true);
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);

    // One line when the outage began and one when it ended, with counts: no stack per request.
    for (const { lines } of logs) {
      expect(lines.filter((l) => l.msg === 'procedure failed')).toEqual([]);
      expect(lines.filter((l) => l.msg.startsWith('database outage began'))).toHaveLength(1);
      await expect.poll(() => lines.filter((l) => l.msg === 'database outage ended'), { timeout: 5_000 }).toHaveLength(1);
      expect(lines.find((l) => l.msg === 'database outage ended')!.refused).toBeGreaterThan(0);
    }
  }, 60_000);
});
