import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { codeOf, roomName, settle, sleep, watchEvents } from '../testing/rooms.test-helpers';
import { createTestClient, refusalOf, signUpClient } from '../testing/test-client';
import { redisAvailable } from '../testing/test-redis';
import type { TestServer } from '../testing/testing';
import { startTwoInstances } from '../testing/two-instances';

// Issue 15's authorisation, on two instances of one deployment: members act on one, the watched
// users sit on the other. Nobody edits, deletes, reacts to, replies to, searches or is told about a
// message of a room they cannot read, and "not yours to see" answers exactly like "missing".
const hasRedis = await redisAvailable('lifecycle.authorization.test.ts');
let a: TestServer;
let b: TestServer;
let instances: Awaited<ReturnType<typeof startTwoInstances>> | undefined;
beforeAll(async () => {
  if (!hasRedis) return;
  instances = await startTwoInstances({ adminDatabaseUrl: inject('adminDatabaseUrl') });
  ({ a, b } = instances);
});
afterAll(() => instances?.dispose());

const onB = (user: { token: string }) => createTestClient(b, user.token);


/** Every message-scoped call a user could try on `messageId` (sent in `roomId`). */
function messageCalls(client: ReturnType<typeof createTestClient>, roomId: string, messageId: string) {
  return {
    'chat.edit': () => client.trpc.chat.edit.mutate({ messageId, text: 'mine now' }),
    'chat.delete': () => client.trpc.chat.delete.mutate({ messageId }),
    'chat.react on': () => client.trpc.chat.react.mutate({ messageId, emoji: '👍', on: true }),
    'chat.react off': () => client.trpc.chat.react.mutate({ messageId, emoji: '👍', on: false }),
    'chat.send replyTo (from #everyone)': () => client.trpc.chat.send.mutate({ text: 'reply', replyTo: messageId }),
    'chat.search roomId': () => client.trpc.chat.search.query({ query: 'secret', roomId }),
  };
}

/** A private room of x and y with one message of x's, and its id. */
async function privateRoom() {
  const x = await signUpClient(a);
  const y = await signUpClient(a);
  const room = await x.client.trpc.room.create.mutate({ name: roomName(), kind: 'private' });
  await x.client.trpc.room.invite.mutate({ roomId: room.id, userId: y.user.id });
  const m = await x.client.trpc.chat.send.mutate({ roomId: room.id, text: `secret plan @${y.user.username}` });
  return { x, y, roomId: room.id, messageId: m.id };
}

describe.runIf(hasRedis)('outsiders', () => {
  it('get the answer of a missing message from every call on a DM’s or private room’s message, on either instance', async () => {
    const { x, roomId, messageId } = await privateRoom();
    const z = await signUpClient(a);
    const dm = await x.client.trpc.room.openDirect.mutate({ userId: z.user.id });
    const dmMessage = await x.client.trpc.chat.send.mutate({ roomId: dm.id, text: 'secret dm' });
    const outsider = await signUpClient(a);
    const outsiderB = onB(outsider);
    for (const client of [outsider.client, outsiderB]) {
      const missing = messageCalls(client, roomId, '999999999');
      for (const [target, id] of [
        [roomId, messageId],
        [dm.id, dmMessage.id],
      ] as const) {
        const calls = messageCalls(client, target, id);
        for (const [name, call] of Object.entries(calls)) {
          if (name === 'chat.search roomId') {
            expect(await refusalOf(call), name).toBe('NOT_FOUND: Room not found');
            continue;
          }
          const answer = await refusalOf(call);
          expect(answer, name).toMatch(/^NOT_FOUND/);
          expect(answer, name).toBe(await refusalOf(missing[name as keyof typeof missing]));
        }
      }
    }
    expect((await outsiderB.trpc.chat.search.query({ query: 'secret' })).results).toEqual([]);
    await outsiderB.close();
  });

  it('a public channel’s non-member cannot act on its messages and gets FORBIDDEN searching it', async () => {
    const owner = await signUpClient(a);
    const visitor = await signUpClient(a);
    const room = await owner.client.trpc.room.create.mutate({ name: roomName(), kind: 'channel' });
    const m = await owner.client.trpc.chat.send.mutate({ roomId: room.id, text: 'secret channel' });
    const calls = messageCalls(visitor.client, room.id, m.id);
    for (const name of ['chat.edit', 'chat.delete', 'chat.react on', 'chat.send replyTo (from #everyone)'] as const) {
      expect(await codeOf(calls[name]), name).toBe('NOT_FOUND');
    }
    expect(await codeOf(calls['chat.search roomId'])).toBe('FORBIDDEN');
    expect((await visitor.client.trpc.chat.search.query({ query: 'secret' })).results).toEqual([]);
  });
});

describe.runIf(hasRedis)('a removed member', () => {
  it('can no longer edit, delete or react to their own messages there, search them, or be told of mentions', async () => {
    const { x, y, roomId } = await privateRoom();
    const own = await y.client.trpc.chat.send.mutate({ roomId, text: 'secret of mine' });
    await x.client.trpc.room.remove.mutate({ roomId, userId: y.user.id });
    const yB = onB(y);
    const stream = watchEvents(yB);
    await settle();
    for (const [name, call] of Object.entries(messageCalls(yB, roomId, own.id))) expect(await codeOf(call), name).toBe('NOT_FOUND');
    expect((await yB.trpc.chat.search.query({ query: 'secret' })).results).toEqual([]);
    await x.client.trpc.chat.send.mutate({ roomId, text: `@${y.user.username} are you there` });
    await x.client.trpc.chat.react.mutate({ messageId: own.id, emoji: '👀', on: true });
    await sleep(500);
    expect(stream.durable()).toEqual([]);
    expect(await textAsMemberSees(own.id, x)).toBe('secret of mine');
    stream.stop();
    await yB.close();
  });
});

/** The message as a member still sees it. */
async function textAsMemberSees(messageId: string, member: Awaited<ReturnType<typeof signUpClient>>) {
  const results = await member.client.trpc.chat.search.query({ query: 'secret of mine' });
  return results.results.find((r) => r.message.id === messageId)?.message.text;
}

describe.runIf(hasRedis)('members on the other instance', () => {
  it('receive edits, deletes, reactions and their own mention counts live and on resume, each once, in id order', async () => {
    const { x, y, roomId, messageId } = await privateRoom();
    const { cursor } = await x.client.trpc.chat.eventCursor.query();
    const yB = onB(y);
    const xB = onB(x);
    const live = watchEvents(yB, cursor);
    const authorLive = watchEvents(xB, cursor);
    await settle();
    const reply = await y.client.trpc.chat.send.mutate({ roomId, text: 'on it', replyTo: messageId });
    const mention = await x.client.trpc.chat.send.mutate({ roomId, text: `@${y.user.username} second` });
    await x.client.trpc.chat.edit.mutate({ messageId, text: 'new plan' });
    await x.client.trpc.chat.edit.mutate({ messageId, text: 'new plan' });
    await y.client.trpc.chat.react.mutate({ messageId, emoji: '🎉', on: true });
    await y.client.trpc.chat.react.mutate({ messageId, emoji: '🎉', on: true });
    await x.client.trpc.chat.delete.mutate({ messageId: mention.id });
    await x.client.trpc.chat.delete.mutate({ messageId: mention.id });
    const expected = ['message.created', 'message.created', 'mentions.updated', 'message.edited', 'mentions.updated', 'reaction.changed', 'message.deleted', 'mentions.updated'];
    await expect.poll(() => live.durable().map((e) => e.type)).toEqual(expected);
    await sleep(300);
    expect(live.durable().map((e) => e.type)).toEqual(expected);
    const mentionCounts = live.durable().flatMap((e) => (e.type === 'mentions.updated' ? [e.mentions] : []));
    // The first message named y (1), then the second did (2), the edit took the first's away (1), the delete the second's (0).
    expect(mentionCounts).toEqual([2, 1, 0]);
    expect(live.durable()[3]).toMatchObject({ type: 'message.edited', message: { id: messageId, text: 'new plan', editedAt: expect.any(String) } });
    // Live, the reply came as it was then; replayed, it is rendered as it is now (the quote follows the edit).
    expect(live.durable()[0]).toMatchObject({ type: 'message.created', message: { id: reply.id, replyTo: { id: messageId, excerpt: expect.stringMatching(/^secret plan @/), deleted: false } } });
    // The author sees the same durable events except y's own mention counts.
    await expect.poll(() => authorLive.durable().map((e) => e.type)).toEqual(expected.filter((t) => t !== 'mentions.updated'));
    const resumed = watchEvents(yB, cursor);
    const typesAndIds = (events: ReturnType<typeof live.durable>) => events.map((e) => [e.type, 'eventId' in e ? e.eventId : null]);
    await expect.poll(() => typesAndIds(resumed.durable())).toEqual(typesAndIds(live.durable()));
    expect(resumed.durable()[0]).toMatchObject({ message: { id: reply.id, replyTo: { excerpt: 'new plan' } } });
    expect(resumed.durable().slice(2)).toEqual(live.durable().slice(2));
    const ids = resumed.items.filter((i) => i.data.type !== 'presence.snapshot').map((i) => BigInt(i.id));
    expect([...ids].sort((p, q) => (p < q ? -1 : 1))).toEqual(ids);
    for (const s of [live, authorLive, resumed]) s.stop();
    await yB.close();
    await xB.close();
  });
});

describe.runIf(hasRedis)('#everyone on chat.onMessage', () => {
  it('carries a reply’s quote and its mentions, and nothing new on a plain message', async () => {
    const x = await signUpClient(a);
    const y = await signUpClient(a);
    const yB = onB(y);
    const got: unknown[] = [];
    const sub = yB.trpc.chat.onMessage.subscribe(undefined, { onData: (e) => got.push(e.data) });
    await settle();
    const plain = await x.client.trpc.chat.send.mutate({ text: 'plain' });
    const reply = await x.client.trpc.chat.send.mutate({ text: `@${y.user.username} see`, replyTo: plain.id });
    await expect.poll(() => got.length).toBe(2);
    expect(got[0]).toEqual(plain);
    expect(Object.keys(got[0] as object)).toEqual(['id', 'text', 'createdAt', 'author', 'clientMessageId']);
    expect(got[1]).toEqual(reply);
    expect(reply).toMatchObject({ replyTo: { id: plain.id, excerpt: 'plain' }, mentions: [{ id: y.user.id }] });
    sub.unsubscribe();
    await yB.close();
  });
});
