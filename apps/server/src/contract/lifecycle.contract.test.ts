import type { ChatEvent } from '@chat/api';
import { quoteExcerpt } from '@chat/api/schemas';
import { initORM, type Orm } from '@chat/db';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { codeOf, roomName, settle, sleep, watchEvents } from '../testing/rooms.test-helpers';
import { signUpClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/testing';

// Issue 15: edit, delete, replies, mentions, reactions and search through the real client.

const EVERYONE = '00000000-0000-4000-8000-000000000001';

let server: TestServer;
let orm: Orm;
/** A statement straight on the test database (what is stored, not what the API shows). */
const sql = (text: string, params: unknown[] = []) => orm.em.fork().execute<Record<string, unknown>[]>(text, params);
beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), rateLimits: { searchesPerUser: { points: 40, duration: 60 } } });
  orm = await initORM({ clientUrl: server.databaseUrl, poolMax: 1 });
});
afterAll(async () => {
  await orm?.close();
  await server?.dispose();
});

/** A channel with `a` and `b` in it. */
async function pair() {
  const a = await signUpClient(server);
  const b = await signUpClient(server);
  const room = await a.client.trpc.room.create.mutate({ name: roomName(), kind: 'channel' });
  await b.client.trpc.room.join.mutate({ roomId: room.id });
  return { a, b, roomId: room.id };
}

const ofType = <T extends ChatEvent['type']>(events: ChatEvent[], type: T) => events.filter((e): e is Extract<ChatEvent, { type: T }> => e.type === type);

async function until(check: () => boolean, ms = 5_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(20);
  }
}

describe('chat.edit', () => {
  it('replaces the text, marks it edited, tells the room once, and a retry changes nothing', async () => {
    const { a, b, roomId } = await pair();
    const watch = watchEvents(b.client);
    await settle();
    const sent = await a.client.trpc.chat.send.mutate({ roomId, text: 'helo' });
    const edited = await a.client.trpc.chat.edit.mutate({ messageId: sent.id, text: ' hello ' });
    expect(edited).toMatchObject({ id: sent.id, text: 'hello', createdAt: sent.createdAt, editedAt: expect.any(String) });
    const again = await a.client.trpc.chat.edit.mutate({ messageId: sent.id, text: 'hello' });
    expect(again).toEqual(edited);
    await until(() => ofType(watch.durable(), 'message.edited').length === 1);
    await sleep(200);
    const edits = ofType(watch.durable(), 'message.edited');
    expect(edits).toHaveLength(1);
    expect(edits[0]!.message).toEqual({ ...edited, roomId });
    const history = await b.client.trpc.chat.history.query({ roomId });
    expect(history.messages.find((m) => m.id === sent.id)).toEqual(edited);
    watch.stop();
  });

  it('refuses another’s message (FORBIDDEN), a deleted one (BAD_REQUEST), an unknown id (NOT_FOUND) and blank text', async () => {
    const { a, b, roomId } = await pair();
    const sent = await a.client.trpc.chat.send.mutate({ roomId, text: 'mine' });
    await expect(b.client.trpc.chat.edit.mutate({ messageId: sent.id, text: 'yours' })).rejects.toMatchObject({
      data: { code: 'FORBIDDEN' },
      message: 'You can only edit your own messages',
    });
    expect(await codeOf(() => a.client.trpc.chat.edit.mutate({ messageId: '999999999', text: 'x' }))).toBe('NOT_FOUND');
    expect(await codeOf(() => a.client.trpc.chat.edit.mutate({ messageId: sent.id, text: ' \u200B ' }))).toBe('BAD_REQUEST');
    await a.client.trpc.chat.delete.mutate({ messageId: sent.id });
    expect(await codeOf(() => a.client.trpc.chat.edit.mutate({ messageId: sent.id, text: 'back' }))).toBe('BAD_REQUEST');
  });

  it('finds an edited message by its new text only', async () => {
    const { a, roomId } = await pair();
    const sent = await a.client.trpc.chat.send.mutate({ roomId, text: 'zebracorn original' });
    await a.client.trpc.chat.edit.mutate({ messageId: sent.id, text: 'unicornzebra replaced' });
    expect((await a.client.trpc.chat.search.query({ query: 'zebracorn', roomId })).results).toEqual([]);
    const found = await a.client.trpc.chat.search.query({ query: 'unicornzebra', roomId });
    expect(found.results.map((r) => r.message.id)).toEqual([sent.id]);
  });
});

describe('chat.delete', () => {
  it('removes the text from the database, leaves a placeholder, tells the room once, and a retry is the same', async () => {
    const { a, b, roomId } = await pair();
    const watch = watchEvents(b.client);
    await settle();
    const sent = await a.client.trpc.chat.send.mutate({ roomId, text: 'secretword-delete me @nobody' });
    await b.client.trpc.chat.react.mutate({ messageId: sent.id, emoji: '👍', on: true });
    const deleted = await a.client.trpc.chat.delete.mutate({ messageId: sent.id });
    expect(deleted).toEqual({
      id: sent.id,
      text: '',
      createdAt: sent.createdAt,
      author: sent.author,
      clientMessageId: null,
      deleted: { at: expect.any(String), by: 'author' },
    });
    expect(await a.client.trpc.chat.delete.mutate({ messageId: sent.id })).toEqual(deleted);
    expect(await sql('select text, deleted_by from messages where id = ?', [sent.id])).toEqual([{ text: '', deleted_by: 'author' }]);
    expect(await sql('select count(*)::int as n from message_reactions where message_id = ?', [sent.id])).toEqual([{ n: 0 }]);
    expect(await sql(`select count(*)::int as n from messages where text like '%secretword%' or search_vector @@ to_tsquery('simple', 'secretword')`)).toEqual([{ n: 0 }]);
    expect((await a.client.trpc.chat.search.query({ query: 'secretword' })).results).toEqual([]);
    await until(() => ofType(watch.durable(), 'message.deleted').length === 1);
    await sleep(200);
    expect(ofType(watch.durable(), 'message.deleted')).toEqual([
      { type: 'message.deleted', eventId: expect.any(String), roomId, messageId: sent.id, deleted: deleted.deleted },
    ]);
    // The message.created event, replayed now, renders the placeholder: the text is gone from the log too.
    const replay = watchEvents(b.client, '0');
    await until(() => ofType(replay.durable(), 'message.deleted').length === 1);
    const created = ofType(replay.durable(), 'message.created').find((e) => e.message.id === sent.id);
    expect(created?.message).toMatchObject({ text: '', deleted: { by: 'author' } });
    expect(JSON.stringify(replay.durable())).not.toContain('secretword');
    expect((await b.client.trpc.chat.history.query({ roomId })).messages.find((m) => m.id === sent.id)).toEqual(deleted);
    watch.stop();
    replay.stop();
  });

  it('refuses another’s message with FORBIDDEN', async () => {
    const { a, b, roomId } = await pair();
    const sent = await a.client.trpc.chat.send.mutate({ roomId, text: 'mine' });
    await expect(b.client.trpc.chat.delete.mutate({ messageId: sent.id })).rejects.toMatchObject({ data: { code: 'FORBIDDEN' }, message: 'You can only delete your own messages' });
  });
});

describe('replies', () => {
  it('quotes the original’s first line as it is now, and as deleted once it is', async () => {
    const { a, b, roomId } = await pair();
    const original = await a.client.trpc.chat.send.mutate({ roomId, text: '\n  first line here  \nsecond line' });
    const reply = await b.client.trpc.chat.send.mutate({ roomId, text: 'answer', replyTo: original.id });
    expect(reply.replyTo).toEqual({ id: original.id, author: original.author, excerpt: 'first line here', deleted: false });
    await a.client.trpc.chat.edit.mutate({ messageId: original.id, text: 'x'.repeat(300) });
    const edited = (await b.client.trpc.chat.history.query({ roomId })).messages.find((m) => m.id === reply.id);
    expect(edited?.replyTo?.excerpt).toBe(quoteExcerpt('x'.repeat(300)));
    expect([...edited!.replyTo!.excerpt]).toHaveLength(120);
    await a.client.trpc.chat.delete.mutate({ messageId: original.id });
    const after = (await b.client.trpc.chat.history.query({ roomId })).messages.find((m) => m.id === reply.id);
    expect(after?.replyTo).toEqual({ id: original.id, author: original.author, excerpt: '', deleted: true });
    expect(await codeOf(() => b.client.trpc.chat.send.mutate({ roomId, text: 'late', replyTo: original.id }))).toBe('BAD_REQUEST');
  });

  it('refuses a message of another room (BAD_REQUEST) and an unknown one (NOT_FOUND)', async () => {
    const { a, roomId } = await pair();
    const elsewhere = await a.client.trpc.chat.send.mutate({ text: 'in #everyone' });
    await expect(a.client.trpc.chat.send.mutate({ roomId, text: 'x', replyTo: elsewhere.id })).rejects.toMatchObject({ data: { code: 'BAD_REQUEST' } });
    expect(await codeOf(() => a.client.trpc.chat.send.mutate({ roomId, text: 'x', replyTo: '999999999' }))).toBe('NOT_FOUND');
  });

  it('keeps a retried clientMessageId idempotent on the reply path', async () => {
    const { a, roomId } = await pair();
    const original = await a.client.trpc.chat.send.mutate({ roomId, text: 'q' });
    const first = await a.client.trpc.chat.send.mutate({ roomId, text: 'r', replyTo: original.id, clientMessageId: 'retry-1' });
    const second = await a.client.trpc.chat.send.mutate({ roomId, text: 'r', replyTo: original.id, clientMessageId: 'retry-1' });
    expect(second).toEqual(first);
  });
});

describe('mentions', () => {
  it('names members only, counts unread mentions in room.list, and tells the mentioned user alone', async () => {
    const { a, b, roomId } = await pair();
    const outsider = await signUpClient(server);
    const watchB = watchEvents(b.client);
    const watchA = watchEvents(a.client);
    await settle();
    const sent = await a.client.trpc.chat.send.mutate({ roomId, text: `hi @${b.user.username.toUpperCase()}, @${outsider.user.username} and @${b.user.username}.` });
    expect(sent.mentions).toEqual([{ id: b.user.id, username: b.user.username }]);
    expect((await b.client.trpc.room.list.query()).find((r) => r.id === roomId)).toMatchObject({ unread: 1, mentions: 1 });
    expect((await a.client.trpc.room.list.query()).find((r) => r.id === roomId)).toMatchObject({ mentions: 0 });
    await until(() => ofType(watchB.durable(), 'mentions.updated').length === 1);
    expect(ofType(watchB.durable(), 'mentions.updated')[0]).toMatchObject({ roomId, mentions: 1 });

    await a.client.trpc.chat.edit.mutate({ messageId: sent.id, text: 'never mind' });
    await until(() => ofType(watchB.durable(), 'mentions.updated').length === 2);
    expect(ofType(watchB.durable(), 'mentions.updated')[1]).toMatchObject({ mentions: 0 });
    expect((await b.client.trpc.room.list.query()).find((r) => r.id === roomId)).toMatchObject({ mentions: 0 });

    const again = await a.client.trpc.chat.send.mutate({ roomId, text: `@${b.user.username} look` });
    await until(() => ofType(watchB.durable(), 'mentions.updated').length === 3);
    await b.client.trpc.room.markRead.mutate({ roomId, messageId: again.id });
    await until(() => ofType(watchB.durable(), 'read.updated').length === 1);
    expect(ofType(watchB.durable(), 'read.updated')[0]).toMatchObject({ unread: 0, mentions: 0 });
    await sleep(200);
    expect(ofType(watchA.durable(), 'mentions.updated')).toEqual([]);
    expect(ofType(watchA.durable(), 'read.updated')).toEqual([]);
    watchA.stop();
    watchB.stop();
  });

  it('drops a deleted message’s mentions from the count', async () => {
    const { a, b, roomId } = await pair();
    const sent = await a.client.trpc.chat.send.mutate({ roomId, text: `@${b.user.username} ping` });
    expect((await b.client.trpc.room.list.query()).find((r) => r.id === roomId)).toMatchObject({ mentions: 1 });
    await a.client.trpc.chat.delete.mutate({ messageId: sent.id });
    expect((await b.client.trpc.room.list.query()).find((r) => r.id === roomId)).toMatchObject({ unread: 1, mentions: 0 });
  });
});

describe('chat.react', () => {
  it('counts reactions per emoji with who reacted and whether the reader did, once per user', async () => {
    const { a, b, roomId } = await pair();
    const watch = watchEvents(a.client);
    await settle();
    const sent = await a.client.trpc.chat.send.mutate({ roomId, text: 'react to me' });
    const first = await b.client.trpc.chat.react.mutate({ messageId: sent.id, emoji: '❤', on: true });
    const heart = first.reactions[0]?.order ?? '';
    expect(heart).toMatch(/^[1-9][0-9]*$/);
    expect(first).toEqual({ messageId: sent.id, reactions: [{ emoji: '❤️', count: 1, users: [{ id: b.user.id, username: b.user.username }], me: true, order: heart }] });
    // "❤" and "❤️" are the same reaction: a retry changes nothing and writes no event.
    expect(await b.client.trpc.chat.react.mutate({ messageId: sent.id, emoji: '❤️', on: true })).toEqual(first);
    await a.client.trpc.chat.react.mutate({ messageId: sent.id, emoji: '👍🏽', on: true });
    await a.client.trpc.chat.react.mutate({ messageId: sent.id, emoji: '❤️', on: true });
    const history = await a.client.trpc.chat.history.query({ roomId });
    const thumbs = history.messages.find((m) => m.id === sent.id)?.reactions?.[1]?.order ?? '';
    expect(BigInt(thumbs)).toBeGreaterThan(BigInt(heart));
    expect(history.messages.find((m) => m.id === sent.id)?.reactions).toEqual([
      { emoji: '❤️', count: 2, users: [{ id: b.user.id, username: b.user.username }, { id: a.user.id, username: a.user.username }], me: true, order: heart },
      { emoji: '👍🏽', count: 1, users: [{ id: a.user.id, username: a.user.username }], me: true, order: thumbs },
    ]);
    // Taking back the oldest ❤️ keeps ❤️ first: an emoji keeps its place while any reaction remains.
    const off = await b.client.trpc.chat.react.mutate({ messageId: sent.id, emoji: '❤️', on: false });
    expect(off.reactions.map((r) => [r.emoji, r.count, r.me, r.order])).toEqual([
      ['❤️', 1, false, heart],
      ['👍🏽', 1, false, thumbs],
    ]);
    expect(await b.client.trpc.chat.react.mutate({ messageId: sent.id, emoji: '❤️', on: false })).toEqual(off);
    await until(() => ofType(watch.durable(), 'reaction.changed').length === 4);
    await sleep(200);
    const changes = ofType(watch.durable(), 'reaction.changed');
    // Each event carries the emoji's order, the stored ones too (a replay has it).
    const expected = [
      ['❤️', 1, true, b.user.id, heart],
      ['👍🏽', 1, true, a.user.id, thumbs],
      ['❤️', 2, true, a.user.id, heart],
      ['❤️', 1, false, b.user.id, heart],
    ];
    expect(changes.map((c) => [c.emoji, c.count, c.on, c.user.id, c.order])).toEqual(expected);
    // Reactions arrive only as reaction.changed: a replayed message.created carries none.
    const replay = watchEvents(a.client, '0');
    await until(() => ofType(replay.durable(), 'reaction.changed').length === 4);
    expect(ofType(replay.durable(), 'message.created').find((e) => e.message.id === sent.id)?.message.reactions).toBeUndefined();
    expect(ofType(replay.durable(), 'reaction.changed').map((c) => [c.emoji, c.count, c.on, c.user.id, c.order])).toEqual(expected);
    // ❤️ down to none and back: a new, larger order, so it now sits after 👍🏽 (the removal carries the old one).
    const gone = await a.client.trpc.chat.react.mutate({ messageId: sent.id, emoji: '❤️', on: false });
    expect(gone.reactions.map((r) => r.emoji)).toEqual(['👍🏽']);
    const back = await a.client.trpc.chat.react.mutate({ messageId: sent.id, emoji: '❤️', on: true });
    expect(back.reactions.map((r) => r.emoji)).toEqual(['👍🏽', '❤️']);
    expect(BigInt(back.reactions[1]!.order)).toBeGreaterThan(BigInt(thumbs));
    await until(() => ofType(watch.durable(), 'reaction.changed').length === 6);
    expect(ofType(watch.durable(), 'reaction.changed').slice(4).map((c) => c.order)).toEqual([heart, back.reactions[1]!.order]);
    watch.stop();
    replay.stop();
  });

  it('refuses anything but one emoji of the set, a deleted message, and a 21st kind of emoji', async () => {
    const { a, roomId } = await pair();
    const sent = await a.client.trpc.chat.send.mutate({ roomId, text: 'x' });
    for (const emoji of ['a', '👍👍', ':+1:', '🏽', '🇦', '<b>', ' 👍']) {
      expect(await codeOf(() => a.client.trpc.chat.react.mutate({ messageId: sent.id, emoji, on: true })), emoji).toBe('BAD_REQUEST');
    }
    expect(await codeOf(() => a.client.trpc.chat.react.mutate({ messageId: sent.id, emoji: '🇫🇷', on: true }))).toBe('resolved');
    const many = ['😀', '😃', '😄', '😁', '😆', '😅', '🤣', '😂', '🙂', '🙃', '😉', '😊', '😇', '🥰', '😍', '🤩', '😘', '😗', '😚'];
    for (const emoji of many) await a.client.trpc.chat.react.mutate({ messageId: sent.id, emoji, on: true });
    expect(await codeOf(() => a.client.trpc.chat.react.mutate({ messageId: sent.id, emoji: '😙', on: true }))).toBe('BAD_REQUEST');
    expect(await codeOf(() => a.client.trpc.chat.react.mutate({ messageId: sent.id, emoji: '😀', on: false }))).toBe('resolved');
    await a.client.trpc.chat.delete.mutate({ messageId: sent.id });
    expect(await codeOf(() => a.client.trpc.chat.react.mutate({ messageId: sent.id, emoji: '😀', on: true }))).toBe('BAD_REQUEST');
  });
});

describe('retries', () => {
  it('write one event however many identical edits, deletes and reactions race', async () => {
    const { a, b, roomId } = await pair();
    const { cursor } = await a.client.trpc.chat.eventCursor.query();
    const sent = await a.client.trpc.chat.send.mutate({ roomId, text: 'race' });
    const reacts = await Promise.all(Array.from({ length: 6 }, () => b.client.trpc.chat.react.mutate({ messageId: sent.id, emoji: '🚀', on: true })));
    expect(new Set(reacts.map((r) => JSON.stringify(r))).size).toBe(1);
    const edits = await Promise.all(Array.from({ length: 6 }, () => a.client.trpc.chat.edit.mutate({ messageId: sent.id, text: 'raced' })));
    expect(new Set(edits.map((e) => e.text))).toEqual(new Set(['raced']));
    const deletes = await Promise.all(Array.from({ length: 6 }, () => a.client.trpc.chat.delete.mutate({ messageId: sent.id })));
    expect(new Set(deletes.map((d) => JSON.stringify(d))).size).toBe(1);
    const replay = watchEvents(a.client, cursor);
    await until(() => ofType(replay.durable(), 'message.deleted').length === 1);
    await sleep(300);
    expect(replay.durable().map((e) => e.type)).toEqual(['message.created', 'reaction.changed', 'message.edited', 'message.deleted']);
    replay.stop();
  });
});

describe('chat.search', () => {
  it('finds words and word starts, newest first, with the matches marked, in pages', async () => {
    const { a, roomId } = await pair();
    const tag = `qz${Date.now().toString(36)}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await a.client.trpc.chat.send.mutate({ roomId, text: `Deployment ${i} of ${tag}alpha went fine` })).id);
    await a.client.trpc.chat.send.mutate({ roomId, text: `${tag}alpha without the other word` });
    const page1 = await a.client.trpc.chat.search.query({ query: `deploy ${tag}`, limit: 3 });
    expect(page1.results.map((r) => r.message.id)).toEqual([ids[4], ids[3], ids[2]]);
    expect(page1.results[0]!.message.roomId).toBe(roomId);
    expect(page1.results[0]!.snippet).toEqual([
      { text: 'Deployment', match: true },
      { text: ' 4 of ', match: false },
      { text: `${tag}alpha`, match: true },
      { text: ' went fine', match: false },
    ]);
    const page2 = await a.client.trpc.chat.search.query({ query: `deploy ${tag}`, limit: 3, before: page1.nextBefore! });
    expect(page2.results.map((r) => r.message.id)).toEqual([ids[1], ids[0]]);
    expect(page2.nextBefore).toBeNull();
  });

  it('searches only the rooms the caller is a member of now', async () => {
    const { a, b, roomId } = await pair();
    const tag = `rm${Date.now().toString(36)}`;
    const privateRoom = await a.client.trpc.room.create.mutate({ name: roomName(), kind: 'private' });
    await a.client.trpc.chat.send.mutate({ roomId: privateRoom.id, text: `${tag} private` });
    await a.client.trpc.chat.send.mutate({ roomId, text: `${tag} channel` });
    await a.client.trpc.chat.send.mutate({ text: `${tag} everyone` });
    expect((await b.client.trpc.chat.search.query({ query: tag })).results.map((r) => r.message.text).sort()).toEqual([`${tag} channel`, `${tag} everyone`]);
    expect(await codeOf(() => b.client.trpc.chat.search.query({ query: tag, roomId: privateRoom.id }))).toBe('NOT_FOUND');
    await b.client.trpc.room.leave.mutate({ roomId });
    expect((await b.client.trpc.chat.search.query({ query: tag })).results.map((r) => r.message.text)).toEqual([`${tag} everyone`]);
    expect(await codeOf(() => b.client.trpc.chat.search.query({ query: tag, roomId }))).toBe('FORBIDDEN');
    expect((await a.client.trpc.chat.search.query({ query: tag, roomId: EVERYONE })).results).toHaveLength(1);
  });

  it('takes any text as a query: quotes, operators and backslashes are words, punctuation alone finds nothing', async () => {
    const { a } = await pair();
    for (const query of [`it's`, `a & b | !c`, `\\`, `'':*`, `(((`, '...', 'x'.repeat(200)]) {
      const result = await a.client.trpc.chat.search.query({ query });
      expect(Array.isArray(result.results), query).toBe(true);
    }
    expect(await codeOf(() => a.client.trpc.chat.search.query({ query: '   ' }))).toBe('BAD_REQUEST');
    expect(await codeOf(() => a.client.trpc.chat.search.query({ query: 'x'.repeat(201) }))).toBe('BAD_REQUEST');
  });

  it('is charged to a per-user rate limit', async () => {
    const { a } = await pair();
    const codes: string[] = [];
    for (let i = 0; i < 41; i++) codes.push(await codeOf(() => a.client.trpc.chat.search.query({ query: 'anything' })));
    expect(codes.slice(0, 40).every((c) => c === 'resolved')).toBe(true);
    expect(codes[40]).toBe('TOO_MANY_REQUESTS');
  });
});

describe('MESSAGE_EDIT_WINDOW_MINUTES', () => {
  it('refuses an edit after the window with FORBIDDEN naming it', async () => {
    const windowed = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), messageEditWindowMinutes: 0.005 });
    try {
      const { client } = await signUpClient(windowed);
      const sent = await client.trpc.chat.send.mutate({ text: 'quick' });
      expect(await codeOf(() => client.trpc.chat.edit.mutate({ messageId: sent.id, text: 'in time' }))).toBe('resolved');
      await sleep(400);
      await expect(client.trpc.chat.edit.mutate({ messageId: sent.id, text: 'too late' })).rejects.toMatchObject({
        data: { code: 'FORBIDDEN' },
        message: expect.stringContaining('within 0.005 minutes'),
      });
      // Deleting is not bound by the window.
      expect(await codeOf(() => client.trpc.chat.delete.mutate({ messageId: sent.id }))).toBe('resolved');
    } finally {
      await windowed.dispose();
    }
  });
});
