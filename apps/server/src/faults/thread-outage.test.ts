import { type ChatClient, createChatClient } from '@chat/client';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRetryingWriter } from '../testing/retrying-writer';
import { signUpClient } from '../testing/test-client';
import { postgresBinariesAvailable, type ScratchPostgres, startScratchPostgres } from '../testing/test-postgres';
import { redisAvailable, TEST_REDIS_URL } from '../testing/test-redis';
import { startTestServer, type TestServer } from '../testing/testing';

// PostgreSQL stopped and started under a storm of thread replies, across two instances: a reply is
// a message and a counter on its root in one transaction, so an answer lost with the connection and
// retried must neither store the reply twice nor count it twice. A PostgreSQL of the test's own,
// since stopping the shared one would break every other test running.
const ready = postgresBinariesAvailable('thread-outage.test.ts') && (await redisAvailable('thread-outage.test.ts'));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let postgres: ScratchPostgres;
const servers: TestServer[] = [];
const clients: ChatClient[] = [];
beforeAll(async () => {
  if (!ready) return;
  postgres = await startScratchPostgres();
  const shared = { adminDatabaseUrl: postgres.adminUrl, redisUrl: TEST_REDIS_URL, redisPrefix: `test:${randomBytes(6).toString('hex')}:`, jwtSecret: randomBytes(32).toString('base64url') };
  const a = await startTestServer(shared);
  servers.push(a, await startTestServer({ ...shared, databaseUrl: a.databaseUrl }));
}, 60_000);
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  for (const server of servers.reverse()) await server.dispose().catch(() => undefined);
  await postgres?.dispose();
});

describe.skipIf(!ready)('PostgreSQL stopped and started under a thread.reply storm', () => {
  it('refuses with SERVICE_UNAVAILABLE meanwhile; then every acknowledged reply is stored once, counted once on its root and delivered once on both instances', async () => {
    const [a, b] = servers as [TestServer, TestServer];
    const starter = await signUpClient(a, 'root');
    const root = await starter.client.trpc.chat.send.mutate({ text: 'the plan for the release', clientMessageId: 'root-1' });

    // A reader on each instance, folding the thread as the web app does: each reply's creation, and the root's counters.
    const readers = await Promise.all(
      [a, b].map(async (server) => {
        const client = await createChatClient({ url: server.url, username: `tr${randomBytes(4).toString('hex')}`, password: 'correct horse battery', signup: true, retryDelayMs: () => 100 });
        clients.push(client);
        const replies: string[] = [];
        const counts: number[] = [];
        const subscription = client.onEvent((e) => {
          if (e.type === 'thread.message' && e.rootId === root.id && e.event.type === 'message.created') replies.push(e.event.message.id);
          if (e.type === 'thread.updated' && e.rootId === root.id) counts.push(e.thread.replyCount);
        });
        await subscription.ready;
        return { replies, counts };
      }),
    );
    const writers = await Promise.all([signUpClient(a, 'ra'), signUpClient(b, 'rb')]);
    const repliers = writers.map((w, i) =>
      startRetryingWriter(i === 0 ? 'a' : 'b', (text, clientMessageId) => w.client.trpc.thread.reply.mutate({ rootId: root.id, text, clientMessageId }), { pauseMs: 20 }),
    );

    await sleep(1_000);
    await postgres.stop();
    await sleep(2_500);
    await postgres.start();
    const before = repliers.map((r) => r.acknowledged.length);
    // Both get through again by retrying, then the thread falls silent.
    await expect.poll(() => repliers.every((r, i) => r.acknowledged.length > before[i]! + 2), { timeout: 15_000 }).toBe(true);
    await Promise.all(repliers.map((r) => r.stop()));

    const stored = await a.orm.em
      .fork()
      .execute<{ id: string; client_message_id: string }[]>('select m.id::text as id, m.client_message_id from messages m where m.thread_root_id = ? order by m.id', [root.id]);
    // Every acknowledged reply is stored exactly once, under its clientMessageId, and nothing else is.
    for (const replier of repliers) {
      for (const ack of replier.acknowledged) expect(stored.filter((m) => m.client_message_id === ack.clientMessageId).map((m) => m.id)).toEqual([ack.id]);
    }
    expect(stored.length).toBe(repliers.reduce((n, r) => n + r.acknowledged.length, 0));
    // The root counts each reply once, whatever was retried.
    const [counter] = await a.orm.em.fork().execute<{ replies: number }[]>('select thread_reply_count as replies from messages where id = ?', [root.id]);
    expect(counter!.replies).toBe(stored.length);

    // Both readers see every reply once, in id order, and end on the stored count.
    const storedIds = stored.map((m) => m.id);
    await expect.poll(() => readers.map((r) => r.replies), { timeout: 10_000 }).toEqual([storedIds, storedIds]);
    for (const reader of readers) await expect.poll(() => reader.counts.at(-1), { timeout: 10_000 }).toBe(stored.length);

    // Refusals said "unavailable, retry", never "internal error".
    const failures = repliers.flatMap((r) => r.failures);
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.filter((f) => f.code !== 'SERVICE_UNAVAILABLE')).toEqual([]);
    expect(failures.every((f) => typeof f.retryAfterSeconds === 'number' && f.retryAfterSeconds > 0)).toBe(true);
  }, 60_000);
});
