import type { ChatEvent } from '@chat/api';
import { applyThreadEvent, applyThreadListEvent, fromThreadList, fromThreadPages, threadList, threadPage } from '@chat/client/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { codeOf, roomName, settle, sleep, watchEvents } from '../testing/rooms.test-helpers';
import { signUpClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/testing';

// Threads (docs/decisions/145-threads.md) through the real server, the real client and PostgreSQL.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl') });
});
afterAll(() => server?.dispose());

type Durable = Exclude<ChatEvent, { type: 'presence.snapshot' | 'presence.changed' | 'typing' }>;
const ofType = <T extends Durable['type']>(events: ChatEvent[], type: T) => events.filter((e): e is Extract<Durable, { type: T }> => e.type === type);

/** Alice's channel with Bob in it, and Alice's root message. */
async function channelWithRoot() {
  const alice = await signUpClient(server, 'ta');
  const bob = await signUpClient(server, 'tb');
  const room = await alice.client.trpc.room.create.mutate({ name: roomName('thread'), kind: 'channel' });
  await bob.client.trpc.room.join.mutate({ roomId: room.id });
  const root = await alice.client.trpc.chat.send.mutate({ roomId: room.id, text: 'shall we ship friday?' });
  return { alice, bob, room, root };
}

/** Polls until `check` passes (events arrive after the mutation's answer). */
async function eventually(check: () => void, ms = 5_000) {
  const until = Date.now() + ms;
  for (;;) {
    try {
      check();
      return;
    } catch (e) {
      if (Date.now() > until) throw e;
      await sleep(50);
    }
  }
}

describe('thread.reply', () => {
  it('keeps a thread-only reply out of the room and away from old clients: history, onMessage, onEvent without `threads`, unread', async () => {
    const { alice, bob, room, root } = await channelWithRoot();
    const aliceEvents = watchEvents(alice.client, undefined, { threads: true });
    // A client written before threads: chat.onEvent without `threads`, live and resumed.
    const oldEvents = watchEvents(alice.client);
    const { cursor } = await alice.client.trpc.chat.eventCursor.query();
    const oldMessages: unknown[] = [];
    const sub = alice.client.trpc.chat.onMessage.subscribe({ roomId: room.id }, { onData: (m) => oldMessages.push(m) });
    await settle();

    const reply = await bob.client.trpc.thread.reply.mutate({ rootId: root.id, text: 'yes, after the review' });
    expect(reply).toMatchObject({ threadRootId: root.id, roomId: room.id, text: 'yes, after the review' });
    expect(reply.alsoInRoom).toBeUndefined();
    const marker = await bob.client.trpc.chat.send.mutate({ roomId: room.id, text: 'a room message after it' });

    await eventually(() => expect(oldMessages.map((m) => (m as { id: string }).id)).toContain(marker.id));
    // The old-client stream sent the room message, never the reply.
    expect(oldMessages.map((m) => (m as { id: string }).id)).toEqual([marker.id]);
    const events = aliceEvents.durable();
    expect(ofType(events, 'message.created').map((e) => e.message.id)).toEqual([marker.id]);
    const wrapped = ofType(events, 'thread.message');
    expect(wrapped).toEqual([expect.objectContaining({ rootId: root.id, roomId: room.id, event: expect.objectContaining({ type: 'message.created', message: expect.objectContaining({ id: reply.id }) }) })]);
    expect(ofType(events, 'thread.updated')).toEqual([expect.objectContaining({ rootId: root.id, thread: { replyCount: 1, lastReplyAt: reply.createdAt, repliers: [{ id: bob.user.id, username: bob.user.username }] } })]);
    // Alice wrote the root: the first reply signs her up, with that reply unread.
    expect(ofType(events, 'thread.read')).toEqual([expect.objectContaining({ rootId: root.id, following: true, unread: 1, mentions: 0, root: expect.objectContaining({ id: root.id }) })]);

    const oldResumed = watchEvents(alice.client, cursor);
    await eventually(() => expect(ofType(oldResumed.durable(), 'message.created').map((e) => e.message.id)).toEqual([marker.id]));
    for (const stream of [oldEvents, oldResumed]) {
      expect(stream.durable().map((e) => e.type).filter((t) => t.startsWith('thread.'))).toEqual([]);
      expect(JSON.stringify(stream.items)).not.toContain('after the review');
    }
    oldEvents.stop();
    oldResumed.stop();

    const history = await alice.client.trpc.chat.history.query({ roomId: room.id });
    expect(history.messages.map((m) => m.id)).toEqual([root.id, marker.id]);
    expect(history.messages[0]!.thread).toEqual({ replyCount: 1, lastReplyAt: reply.createdAt, repliers: [{ id: bob.user.id, username: bob.user.username }] });
    const rooms = await alice.client.trpc.room.list.query();
    expect(rooms.find((r) => r.id === room.id)).toMatchObject({ unread: 1, lastMessageId: marker.id });

    const thread = await alice.client.trpc.thread.history.query({ rootId: root.id });
    expect(thread.root.id).toBe(root.id);
    expect(thread.replies.map((m) => m.id)).toEqual([reply.id]);
    expect(thread.nextCursor).toBeNull();
    sub.unsubscribe();
    aliceEvents.stop();
  });

  it('also sends to the room when asked: a plain message.created with threadRootId, in history and onMessage', async () => {
    const { alice, bob, room, root } = await channelWithRoot();
    const oldMessages: { id: string }[] = [];
    const sub = alice.client.trpc.chat.onMessage.subscribe({ roomId: room.id }, { onData: (m) => oldMessages.push(m) });
    await settle();
    const reply = await bob.client.trpc.thread.reply.mutate({ rootId: root.id, text: 'posting here too', alsoSendToRoom: true });
    expect(reply).toMatchObject({ threadRootId: root.id, alsoInRoom: true });
    await eventually(() => expect(oldMessages.map((m) => m.id)).toEqual([reply.id]));
    const history = await alice.client.trpc.chat.history.query({ roomId: room.id });
    expect(history.messages.map((m) => m.id)).toEqual([root.id, reply.id]);
    expect((await alice.client.trpc.thread.history.query({ rootId: root.id })).replies.map((m) => m.id)).toEqual([reply.id]);
    sub.unsubscribe();
  });

  it('is idempotent by clientMessageId: a retry is the same reply and counts once', async () => {
    const { bob, root } = await channelWithRoot();
    const first = await bob.client.trpc.thread.reply.mutate({ rootId: root.id, text: 'once', clientMessageId: 'retry-1' });
    const again = await Promise.all([1, 2, 3].map(() => bob.client.trpc.thread.reply.mutate({ rootId: root.id, text: 'once', clientMessageId: 'retry-1' })));
    expect(again.map((m) => m.id)).toEqual([first.id, first.id, first.id]);
    const thread = await bob.client.trpc.thread.history.query({ rootId: root.id });
    expect(thread.replies).toHaveLength(1);
    expect(thread.root.thread?.replyCount).toBe(1);
  });

  it('quotes a message of the same thread, and refuses a quote from elsewhere or of a deleted message', async () => {
    const { alice, bob, room, root } = await channelWithRoot();
    const first = await bob.client.trpc.thread.reply.mutate({ rootId: root.id, text: 'first answer' });
    const quoting = await alice.client.trpc.thread.reply.mutate({ rootId: root.id, text: 'to that', replyTo: first.id });
    expect(quoting.replyTo).toMatchObject({ id: first.id, author: { id: bob.user.id }, deleted: false });
    const ofRoot = await alice.client.trpc.thread.reply.mutate({ rootId: root.id, text: 'to the root', replyTo: root.id });
    expect(ofRoot.replyTo?.id).toBe(root.id);
    expect((await bob.client.trpc.thread.history.query({ rootId: root.id })).replies.find((m) => m.id === quoting.id)?.replyTo?.id).toBe(first.id);

    // Another thread's reply, a room message outside the thread, a private room's message, nothing at all: one refusal, nothing stored.
    const other = await alice.client.trpc.chat.send.mutate({ roomId: room.id, text: 'another root' });
    const elsewhere = await bob.client.trpc.thread.reply.mutate({ rootId: other.id, text: 'elsewhere' });
    const secret = await alice.client.trpc.room.create.mutate({ name: roomName('secret'), kind: 'private' });
    const hidden = await alice.client.trpc.chat.send.mutate({ roomId: secret.id, text: 'private' });
    for (const replyTo of [elsewhere.id, other.id, hidden.id, '999999999999']) {
      expect(await codeOf(() => bob.client.trpc.thread.reply.mutate({ rootId: root.id, text: 'forged quote', replyTo }))).toBe('BAD_REQUEST');
    }
    expect(await codeOf(() => bob.client.trpc.thread.reply.mutate({ rootId: root.id, text: 'bad id', replyTo: "1' or '1'='1" }))).toBe('BAD_REQUEST');
    await bob.client.trpc.chat.delete.mutate({ messageId: first.id });
    expect(await codeOf(() => alice.client.trpc.thread.reply.mutate({ rootId: root.id, text: 'to a deleted one', replyTo: first.id }))).toBe('BAD_REQUEST');
    expect((await bob.client.trpc.thread.history.query({ rootId: root.id })).replies.map((m) => m.text)).toEqual(['', 'to that', 'to the root']);
  });

  it('counts concurrent replies exactly and keeps the last three repliers, newest first', async () => {
    const { alice, bob, room, root } = await channelWithRoot();
    const others = await Promise.all([1, 2, 3].map(() => signUpClient(server, 'tc')));
    for (const o of others) await o.client.trpc.room.join.mutate({ roomId: room.id });
    const all = [alice, bob, ...others];
    await Promise.all(all.flatMap((u) => [1, 2].map((i) => u.client.trpc.thread.reply.mutate({ rootId: root.id, text: `reply ${i}` }))));
    const thread = await alice.client.trpc.thread.history.query({ rootId: root.id });
    expect(thread.replies).toHaveLength(10);
    expect(thread.root.thread?.replyCount).toBe(10);
    const newestAuthors = [...new Set(thread.replies.map((m) => m.author.id).reverse())].slice(0, 3);
    expect(thread.root.thread?.repliers.map((u) => u.id)).toEqual(newestAuthors);
  });

  it('takes 500 concurrent replies to one root from 25 people: each stored once, counted exactly, and the room stays usable', async () => {
    const { alice, room, root } = await channelWithRoot();
    const aliceEvents = watchEvents(alice.client, undefined, { threads: true });
    await settle();
    // Signed up a few at a time: the server sheds a crowd of password hashes with 'busy' (by design).
    const people: Awaited<ReturnType<typeof signUpClient>>[] = [];
    while (people.length < 25) people.push(...(await Promise.all([1, 2, 3, 4, 5].map(() => signUpClient(server, 'ts')))));
    await Promise.all(people.map((p) => p.client.trpc.room.join.mutate({ roomId: room.id })));
    // 20 each: the per-user message budget (20 per 10 s) lets every one through, so nothing is refused.
    const sent = people.flatMap((p, who) => Array.from({ length: 20 }, (_, i) => ({ p, clientMessageId: `storm-${who}-${i}` })));
    const replies = await Promise.all(sent.map(({ p, clientMessageId }) => p.client.trpc.thread.reply.mutate({ rootId: root.id, text: `storm ${clientMessageId}`, clientMessageId })));
    // A room message in the middle of the storm's aftermath is answered as usual.
    const after = await alice.client.trpc.chat.send.mutate({ roomId: room.id, text: 'still here' });
    expect(after.text).toBe('still here');
    expect(new Set(replies.map((r) => r.id)).size).toBe(500);
    const stored = await server.orm.em
      .fork()
      .execute<{ n: number }[]>('select count(*)::int as n from messages where thread_root_id = ?', [root.id]);
    expect(stored[0]!.n).toBe(500);
    const thread = await alice.client.trpc.thread.history.query({ rootId: root.id });
    expect(thread.root.thread?.replyCount).toBe(500);
    // Alice wrote the root, so she follows: her stream's last thread.updated and her thread list say 500.
    await eventually(() => expect(ofType(aliceEvents.durable(), 'thread.updated').at(-1)?.thread.replyCount).toBe(500), 30_000);
    const followed = await alice.client.trpc.thread.list.query();
    expect(followed.find((t) => t.rootId === root.id)).toMatchObject({ unread: 500 });
    // Counts only grow in event order: no update overtook a later one.
    const counts = ofType(aliceEvents.durable(), 'thread.updated').map((e) => e.thread.replyCount);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    aliceEvents.stop();
    await Promise.all(people.map((p) => p.client.close()));
  }, 240_000);

  it('refuses forged and hostile roots with typed errors', async () => {
    const { alice, bob, root } = await channelWithRoot();
    const outsider = await signUpClient(server, 'tx');
    const secret = await alice.client.trpc.room.create.mutate({ name: roomName('secret'), kind: 'private' });
    const hidden = await alice.client.trpc.chat.send.mutate({ roomId: secret.id, text: 'private root' });
    const reply = await bob.client.trpc.thread.reply.mutate({ rootId: root.id, text: 'a reply' });

    expect(await codeOf(() => outsider.client.trpc.thread.reply.mutate({ rootId: hidden.id, text: 'let me in' }))).toBe('NOT_FOUND');
    expect(await codeOf(() => outsider.client.trpc.thread.history.query({ rootId: hidden.id }))).toBe('NOT_FOUND');
    expect(await codeOf(() => outsider.client.trpc.thread.follow.mutate({ rootId: hidden.id }))).toBe('NOT_FOUND');
    expect(await codeOf(() => bob.client.trpc.thread.reply.mutate({ rootId: '999999999999', text: 'nothing there' }))).toBe('NOT_FOUND');
    expect(await codeOf(() => bob.client.trpc.thread.reply.mutate({ rootId: '99999999999999999999', text: 'too big' }))).toBe('BAD_REQUEST');
    expect(await codeOf(() => bob.client.trpc.thread.reply.mutate({ rootId: "1; drop table messages", text: 'sql' }))).toBe('BAD_REQUEST');
    expect(await codeOf(() => bob.client.trpc.thread.reply.mutate({ rootId: root.id, text: '   ' }))).toBe('BAD_REQUEST');
    expect(await codeOf(() => bob.client.trpc.thread.reply.mutate({ rootId: root.id, text: 'x'.repeat(2001) }))).toBe('BAD_REQUEST');
    // A thread has no threads of its own.
    expect(await codeOf(() => alice.client.trpc.thread.reply.mutate({ rootId: reply.id, text: 'nested' }))).toBe('BAD_REQUEST');
    expect(await codeOf(() => bob.client.trpc.thread.markRead.mutate({ rootId: root.id, messageId: hidden.id }))).toBe('NOT_FOUND');
    // Nothing was written by the refusals.
    expect((await alice.client.trpc.thread.history.query({ rootId: root.id })).replies.map((m) => m.id)).toEqual([reply.id]);
  });
});

describe('inside a thread', () => {
  it('edits, reactions and deletes of a thread-only reply travel as thread.message, never as the room kinds; search says it is in a thread', async () => {
    const { alice, bob, root } = await channelWithRoot();
    const reply = await bob.client.trpc.thread.reply.mutate({ rootId: root.id, text: 'quokka plan' });
    const aliceEvents = watchEvents(alice.client, undefined, { threads: true });
    await settle();
    await bob.client.trpc.chat.edit.mutate({ messageId: reply.id, text: 'quokka plan, revised' });
    await alice.client.trpc.chat.react.mutate({ messageId: reply.id, emoji: '👍', on: true });
    const search = await alice.client.trpc.chat.search.query({ query: 'quokka' });
    expect(search.results.map((r) => [r.message.id, r.message.threadRootId])).toEqual([[reply.id, root.id]]);
    await alice.client.trpc.chat.report.mutate({ messageId: reply.id, reason: 'testing reports in threads' });
    await bob.client.trpc.chat.delete.mutate({ messageId: reply.id });
    await eventually(() => expect(ofType(aliceEvents.durable(), 'thread.message')).toHaveLength(3));
    const events = aliceEvents.durable();
    expect(ofType(events, 'thread.message').map((e) => e.event.type)).toEqual(['message.edited', 'reaction.changed', 'message.deleted']);
    expect(events.filter((e) => ['message.edited', 'reaction.changed', 'message.deleted', 'message.created'].includes(e.type))).toEqual([]);
    const thread = await alice.client.trpc.thread.history.query({ rootId: root.id });
    expect(thread.replies[0]).toMatchObject({ id: reply.id, text: '', deleted: { by: 'author' } });
    aliceEvents.stop();
  });

  it('keeps the thread readable once its root is deleted', async () => {
    const { alice, bob, root } = await channelWithRoot();
    const reply = await bob.client.trpc.thread.reply.mutate({ rootId: root.id, text: 'still here' });
    await alice.client.trpc.chat.delete.mutate({ messageId: root.id });
    const thread = await bob.client.trpc.thread.history.query({ rootId: root.id });
    expect(thread.root).toMatchObject({ id: root.id, text: '', deleted: { by: 'author' }, thread: { replyCount: 1 } });
    expect(thread.replies.map((m) => m.text)).toEqual([reply.text]);
    // The conversation may go on under a deleted root that has replies.
    await bob.client.trpc.thread.reply.mutate({ rootId: root.id, text: 'and on' });
    const fresh = await alice.client.trpc.chat.send.mutate({ roomId: (await alice.client.trpc.room.list.query())[0]!.id, text: 'gone soon' });
    await alice.client.trpc.chat.delete.mutate({ messageId: fresh.id });
    expect(await codeOf(() => bob.client.trpc.thread.reply.mutate({ rootId: fresh.id, text: 'too late' }))).toBe('BAD_REQUEST');
  });

  it('moderators remove replies in threads', async () => {
    const { alice, bob, root } = await channelWithRoot();
    const reply = await bob.client.trpc.thread.reply.mutate({ rootId: root.id, text: 'something rude' });
    // Alice created the channel: she moderates it.
    await alice.client.trpc.chat.delete.mutate({ messageId: reply.id, reason: 'rude' });
    const thread = await bob.client.trpc.thread.history.query({ rootId: root.id });
    expect(thread.replies[0]).toMatchObject({ id: reply.id, deleted: { by: 'moderator' } });
  });
});

describe('following and unread', () => {
  it('lists followed threads unread first, with mentions, and marks them read on every device', async () => {
    const { alice, bob, room } = await channelWithRoot();
    const older = await bob.client.trpc.chat.send.mutate({ roomId: room.id, text: 'older root by bob' });
    const newer = await bob.client.trpc.chat.send.mutate({ roomId: room.id, text: 'newer root by bob' });
    await alice.client.trpc.thread.reply.mutate({ rootId: newer.id, text: 'alice answers the newer' });
    await alice.client.trpc.thread.reply.mutate({ rootId: older.id, text: 'alice answers the older' });
    await bob.client.trpc.thread.reply.mutate({ rootId: newer.id, text: `@${alice.user.username} look` });

    const list = await alice.client.trpc.thread.list.query();
    expect(list.map((t) => [t.rootId, t.unread, t.mentions])).toEqual([
      [newer.id, 1, 1],
      [older.id, 0, 0],
    ]);
    expect(list[0]!.root.thread?.replyCount).toBe(2);

    const otherDevice = watchEvents(alice.client, undefined, { threads: true });
    await settle();
    await alice.client.trpc.thread.markRead.mutate({ rootId: newer.id });
    await eventually(() => expect(ofType(otherDevice.durable(), 'thread.read')).toEqual([expect.objectContaining({ rootId: newer.id, unread: 0, mentions: 0, following: true })]));
    // Marking read again moves nothing and sends nothing.
    await alice.client.trpc.thread.markRead.mutate({ rootId: newer.id });
    await sleep(300);
    expect(ofType(otherDevice.durable(), 'thread.read')).toHaveLength(1);

    await alice.client.trpc.thread.unfollow.mutate({ rootId: older.id });
    expect((await alice.client.trpc.thread.list.query()).map((t) => t.rootId)).toEqual([newer.id]);
    // Bob's events never carry Alice's thread state.
    const bobEvents = watchEvents(bob.client, undefined, { threads: true });
    await settle();
    await alice.client.trpc.thread.follow.mutate({ rootId: older.id });
    await sleep(300);
    expect(ofType(bobEvents.durable(), 'thread.read')).toEqual([]);
    expect((await alice.client.trpc.thread.list.query()).map((t) => t.rootId).sort()).toEqual([newer.id, older.id].sort());
    otherDevice.stop();
    bobEvents.stop();
  });

  it('signs up those named in a reply, and not the root author again after they unfollowed', async () => {
    const { alice, bob, room, root } = await channelWithRoot();
    const carol = await signUpClient(server, 'td');
    await carol.client.trpc.room.join.mutate({ roomId: room.id });
    await bob.client.trpc.thread.reply.mutate({ rootId: root.id, text: 'first' });
    await alice.client.trpc.thread.unfollow.mutate({ rootId: root.id });
    await bob.client.trpc.thread.reply.mutate({ rootId: root.id, text: `@${carol.user.username} what do you think` });
    expect((await alice.client.trpc.thread.list.query()).map((t) => t.rootId)).toEqual([]);
    expect((await carol.client.trpc.thread.list.query()).map((t) => [t.rootId, t.unread, t.mentions])).toEqual([[root.id, 2, 1]]);
  });

  it('drops a thread from the list of someone who left its room, and refuses their calls', async () => {
    const { alice, bob, room, root } = await channelWithRoot();
    await bob.client.trpc.thread.reply.mutate({ rootId: root.id, text: 'bye soon' });
    await bob.client.trpc.room.leave.mutate({ roomId: room.id });
    expect(await bob.client.trpc.thread.list.query()).toEqual([]);
    expect(await codeOf(() => bob.client.trpc.thread.history.query({ rootId: root.id }))).toBe('NOT_FOUND');
    expect(await codeOf(() => bob.client.trpc.thread.reply.mutate({ rootId: root.id, text: 'still?' }))).toBe('NOT_FOUND');
    expect((await alice.client.trpc.thread.list.query()).map((t) => t.rootId)).toEqual([root.id]);
  });
});

describe('apply equals fetch on the real server', () => {
  it('a thread.list and thread.history read at a cursor, plus the events after it, equal fresh reads', async () => {
    const { alice, bob, room, root } = await channelWithRoot();
    const carol = await signUpClient(server, 'te');
    await carol.client.trpc.room.join.mutate({ roomId: room.id });
    const other = await bob.client.trpc.chat.send.mutate({ roomId: room.id, text: 'another root' });
    await carol.client.trpc.thread.reply.mutate({ rootId: root.id, text: 'before the snapshot' });
    await alice.client.trpc.thread.follow.mutate({ rootId: other.id });

    const { cursor } = await alice.client.trpc.chat.eventCursor.query();
    const listSnapshot = await alice.client.trpc.thread.list.query();
    const pageSnapshot = await alice.client.trpc.thread.history.query({ rootId: root.id });
    const events = watchEvents(alice.client, cursor, { threads: true });
    await settle();

    const r1 = await bob.client.trpc.thread.reply.mutate({ rootId: root.id, text: `@${alice.user.username} are you in?` });
    const r2 = await carol.client.trpc.thread.reply.mutate({ rootId: root.id, text: 'to everyone', alsoSendToRoom: true });
    await bob.client.trpc.thread.reply.mutate({ rootId: other.id, text: 'on the other one' });
    await bob.client.trpc.chat.edit.mutate({ messageId: r1.id, text: 'are you in? (no mention now)' });
    await carol.client.trpc.chat.react.mutate({ messageId: r2.id, emoji: '🎉', on: true });
    await alice.client.trpc.chat.react.mutate({ messageId: r1.id, emoji: '👍', on: true });
    await bob.client.trpc.chat.react.mutate({ messageId: root.id, emoji: '👍', on: true });
    await carol.client.trpc.chat.delete.mutate({ messageId: r2.id });
    await alice.client.trpc.chat.edit.mutate({ messageId: root.id, text: 'shall we ship friday? (edited)' });
    await alice.client.trpc.thread.markRead.mutate({ rootId: other.id });
    await alice.client.trpc.thread.reply.mutate({ rootId: root.id, text: 'yes' });
    const last = await bob.client.trpc.thread.reply.mutate({ rootId: root.id, text: 'great' });
    await eventually(() => expect(ofType(events.durable(), 'thread.message').some((e) => e.event.type === 'message.created' && e.event.message.id === last.id)).toBe(true));
    await sleep(200);

    const received = events.items.map((i) => i.data);
    const list = received.reduce(applyThreadListEvent, fromThreadList(alice.user.id, cursor, listSnapshot));
    expect(threadList(list)).toEqual(await alice.client.trpc.thread.list.query());
    const view = received.reduce(applyThreadEvent, fromThreadPages(alice.user.id, cursor, [pageSnapshot]));
    const fresh = await alice.client.trpc.thread.history.query({ rootId: root.id });
    expect(threadPage(view)).toEqual(fresh);
    expect(fresh.replies).toHaveLength(5);
    events.stop();
  });
});
