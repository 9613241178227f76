import type { ChatMessage } from '@chat/api';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { repositoriesFor } from '@chat/db';
import { signUpClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/testing';

// Group commit (docs/decisions/162-group-commit.md) through the real server and client: many plain
// sends at once share statements, and each caller still gets exactly its own answer.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl') });
});
afterAll(() => server?.dispose());

/** One at a time: signing up hashes a password, and a dozen at once meet the hash queue's limit. */
async function signUpMany(target: TestServer, n: number, prefix: string) {
  const users = [];
  for (let i = 0; i < n; i++) users.push(await signUpClient(target, prefix));
  return users;
}

const codeOf = (e: unknown) => (e instanceof TRPCClientError ? (e.data?.code as string) : `not a tRPC error: ${String(e)}`);

async function statementsOf(ids: string[]) {
  const rows = await server.orm.em.fork().execute<{ n: number }[]>(`select count(distinct xmin::text)::int as n from messages where id = any(?::bigint[])`, [`{${ids.join(',')}}`]);
  return rows[0]!.n;
}

it('many users sending at once in many rooms: every send answered once with its own message, ids in commit order, a reader resuming after any id misses nothing', async () => {
  const users = await signUpMany(server, 12, 'gc');
  const owner = users[0]!;
  const rooms: string[] = [];
  for (let r = 0; r < 4; r++) rooms.push((await owner.client.trpc.room.create.mutate({ kind: 'channel', name: `gc-room-${r}` })).id);
  for (const [i, u] of users.entries()) if (i > 0) for (const room of rooms) await u.client.trpc.room.join.mutate({ roomId: room });
  const { cursor } = await owner.client.trpc.chat.eventCursor.query();

  const planned = users.flatMap((u, i) => Array.from({ length: 15 }, (_, k) => ({ u, roomId: k % 5 === 4 ? undefined : rooms[(i + k) % 4]!, text: `u${i} m${k}`, clientMessageId: `gc-${i}-${k}` })));
  const answers = await Promise.all(
    planned.map((p) => p.u.client.trpc.chat.send.mutate({ text: p.text, clientMessageId: p.clientMessageId, ...(p.roomId ? { roomId: p.roomId } : {}) })),
  );
  // Each caller got its own message, exactly once.
  expect(answers.map((a: ChatMessage) => [a.text, a.clientMessageId, a.author.id])).toEqual(planned.map((p) => [p.text, p.clientMessageId, p.u.user.id]));
  expect(new Set(answers.map((a) => a.id)).size).toBe(planned.length);
  // …and they really were gathered: far fewer statements than messages.
  expect(await statementsOf(answers.map((a) => a.id))).toBeLessThan(planned.length / 2);

  // The log after the cursor: one message.created per send, ids and message ids rising together.
  const events = await server.orm.em
    .fork()
    .execute<{ id: string; message_id: string }[]>(`select e.id::text as id, e.message_id::text as message_id from events e where e.id > ? and e.type = 'message.created' order by e.id`, [cursor]);
  expect(events).toHaveLength(planned.length);
  const messageIds = events.map((e) => BigInt(e.message_id));
  expect([...messageIds].sort((a, b) => (a < b ? -1 : 1))).toEqual(messageIds);

  // A reader (a member of every room) resuming chat.onEvent after several cursors gets exactly the rest.
  const all = events.map((e) => e.id);
  for (const from of [cursor, all[0]!, all[37]!, all[111]!, all.at(-2)!]) {
    const want = all.filter((id) => BigInt(id) > BigInt(from));
    const got: string[] = [];
    const sub = owner.client.trpc.chat.onEvent.subscribe(
      { lastEventId: from },
      { onData: (item) => item.data.type === 'message.created' && got.push(item.id) },
    );
    await expect.poll(() => got.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(want.length);
    sub.unsubscribe();
    expect(got).toEqual(all.filter((id) => BigInt(id) > BigInt(from)));
  }
  for (const u of users) await u.client.close();
}, 120_000);

it('a retry inside the same batch returns the same message; a not-member or muted send in a batch is refused alone', async () => {
  const [ann, bob, cat, ...crowd] = await signUpMany(server, 8, 'gb');
  const room = (await ann!.client.trpc.room.create.mutate({ kind: 'private', name: 'gb-closed' })).id;
  await repositoriesFor(server.orm.em.fork()).users.mute(cat!.user.id, new Date(Date.now() + 60_000), (u) => ({
    actor: null,
    action: 'mute',
    target: { id: u.id, username: u.username },
    details: {},
  }));
  // The first send goes alone; everything below queues behind it and shares the next statement.
  const opener = crowd[0]!.client.trpc.chat.send.mutate({ text: 'opener' });
  const settled = await Promise.allSettled([
    opener,
    ...crowd.map((c, i) => c.client.trpc.chat.send.mutate({ text: `crowd ${i}` })),
    ann!.client.trpc.chat.send.mutate({ roomId: room, text: 'twice', clientMessageId: 'gb-same' }),
    ann!.client.trpc.chat.send.mutate({ roomId: room, text: 'twice', clientMessageId: 'gb-same' }),
    bob!.client.trpc.chat.send.mutate({ roomId: room, text: 'not a member' }),
    cat!.client.trpc.chat.send.mutate({ text: 'muted' }),
  ]);
  const [a, b] = settled.slice(-4, -2).map((s) => (s.status === 'fulfilled' ? s.value : null));
  expect(a).not.toBeNull();
  expect(b).toEqual(a);
  const refusals = settled.slice(-2).map((s) => (s.status === 'rejected' ? codeOf(s.reason) : 'resolved'));
  expect(refusals).toEqual(['NOT_FOUND', 'FORBIDDEN']);
  expect(settled.slice(0, -4).every((s) => s.status === 'fulfilled')).toBe(true);
  const stored = await server.orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from messages where room_id = ? and client_message_id = 'gb-same'`, [room]);
  expect(stored[0]!.n).toBe(1);
  for (const u of [ann, bob, cat, ...crowd]) await u!.client.close();
}, 60_000);

it('1,000 sends at once from one user under the message limit: the others are still answered, the flooder gets its budget and no more', async () => {
  // The default budget (20, plus a burst of 10), refilled only after the test: a slow machine cannot earn the flooder more.
  const limited = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), rateLimits: { messagesPerUser: { points: 20, duration: 600, burst: 10, burstDuration: 600 } } });
  try {
    const flooder = await signUpClient(limited, 'flood');
    const others = await signUpMany(limited, 5, 'calm');
    const flood = Promise.allSettled(Array.from({ length: 1000 }, (_, i) => flooder.client.trpc.chat.send.mutate({ text: `flood ${i}` })));
    const calm = Promise.all(others.flatMap((o) => [1, 2, 3].map((k) => o.client.trpc.chat.send.mutate({ text: `calm ${k}` }))));
    expect(await calm).toHaveLength(15);
    const floodResults = await flood;
    const through = floodResults.filter((r) => r.status === 'fulfilled').length;
    expect(through).toBeLessThanOrEqual(30);
    expect(through).toBeGreaterThan(0);
    expect(floodResults.filter((r) => r.status === 'rejected').every((r) => codeOf(r.reason) === 'TOO_MANY_REQUESTS')).toBe(true);
    for (const u of [flooder, ...others]) await u.client.close();
  } finally {
    await limited.dispose();
  }
}, 120_000);
