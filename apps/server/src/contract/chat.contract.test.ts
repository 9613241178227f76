import type { AppRouter, ChatMessage } from '@chat/api';
import { repositoriesFor } from '@chat/db';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { collect, signUpClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/testing';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl') });
});
afterAll(() => server?.dispose());

const codeOf = async (call: () => Promise<unknown>) =>
  call().then(
    () => 'resolved',
    (e: unknown) => (e instanceof TRPCClientError ? (e.data?.code as string) : 'not a tRPC error'),
  );

/** Resolves once the subscription's socket is open and the server has it registered. */
const settle = () => new Promise((r) => setTimeout(r, 250));

describe('chat.send', () => {
  it('trims the text, stores it verbatim and returns the message', async () => {
    const { client, user } = await signUpClient(server);
    const text = '  <b>hi</b> & "quotes"\n  second line 🔥  ';
    const message = await client.trpc.chat.send.mutate({ text });
    expect(message).toEqual({
      id: expect.stringMatching(/^\d+$/),
      text: '<b>hi</b> & "quotes"\n  second line 🔥',
      createdAt: expect.any(String),
      author: { id: user.id, username: user.username },
      clientMessageId: null,
    });
  });

  it.each([
    ['empty text', { text: '' }],
    ['whitespace only', { text: ' \n\t ' }],
    ['2001 characters', { text: 'x'.repeat(2001) }],
    ['an unknown key', { text: 'hi', html: true }],
    ['a malformed clientMessageId', { text: 'hi', clientMessageId: 'has spaces' }],
  ])('refuses %s with BAD_REQUEST', async (_, input) => {
    const { client } = await signUpClient(server);
    expect(await codeOf(() => client.trpc.chat.send.mutate(input as never))).toBe('BAD_REQUEST');
  });

  it('accepts exactly 2000 characters, counting an emoji as one', async () => {
    const { client } = await signUpClient(server);
    const text = '🔥'.repeat(2000);
    expect((await client.trpc.chat.send.mutate({ text })).text).toBe(text);
  });

  it('stores one message for a retried clientMessageId and returns it both times', async () => {
    const { client } = await signUpClient(server);
    const first = await client.trpc.chat.send.mutate({ text: 'once', clientMessageId: 'retry-1' });
    const again = await client.trpc.chat.send.mutate({ text: 'once', clientMessageId: 'retry-1' });
    expect(again).toEqual(first);
    const { messages } = await client.trpc.chat.history.query({ limit: 100 });
    expect(messages.filter((m) => m.clientMessageId === 'retry-1')).toHaveLength(1);
  });

  it('keeps clientMessageIds per user: two users may use the same one', async () => {
    const a = await signUpClient(server);
    const b = await signUpClient(server);
    const ma = await a.client.trpc.chat.send.mutate({ text: 'from a', clientMessageId: 'same' });
    const mb = await b.client.trpc.chat.send.mutate({ text: 'from b', clientMessageId: 'same' });
    expect(ma.id).not.toBe(mb.id);
  });
});

describe('chat.send under the message limit', () => {
  it('answers retries of stored sends with the stored message, without spending or hitting the budget', async () => {
    const local = await startTestServer({
      adminDatabaseUrl: inject('adminDatabaseUrl'),
      rateLimits: { messagesPerUser: { points: 3, duration: 60, burst: 0, burstDuration: 60 } },
    });
    try {
      const { client } = await signUpClient(local);
      const first = await client.trpc.chat.send.mutate({ text: 'one', clientMessageId: 'budget-1' });
      // Retries of a stored send (an outbox whose answer was lost) cost nothing: two more fresh sends still fit.
      for (let i = 0; i < 5; i++) expect(await client.trpc.chat.send.mutate({ text: 'one', clientMessageId: 'budget-1' })).toEqual(first);
      const second = await client.trpc.chat.send.mutate({ text: 'two', clientMessageId: 'budget-2' });
      const third = await client.trpc.chat.send.mutate({ text: 'three', clientMessageId: 'budget-3' });
      // The budget is spent: a new message is refused, but every retry of a stored one is still answered.
      expect(await codeOf(() => client.trpc.chat.send.mutate({ text: 'four', clientMessageId: 'budget-4' }))).toBe('TOO_MANY_REQUESTS');
      expect(await codeOf(() => client.trpc.chat.send.mutate({ text: 'no id' }))).toBe('TOO_MANY_REQUESTS');
      for (const stored of [first, second, third]) {
        expect(await client.trpc.chat.send.mutate({ text: stored.text, clientMessageId: stored.clientMessageId! })).toEqual(stored);
      }
      const { messages } = await client.trpc.chat.history.query({ limit: 100 });
      expect(messages.map((m) => m.text)).toEqual(['one', 'two', 'three']);
    } finally {
      await local.dispose();
    }
  });

  it('does not hand a stored message back after its sender left the room: the retry is refused as before', async () => {
    const { client } = await signUpClient(server);
    const room = await client.trpc.room.create.mutate({ name: `left-${Date.now() % 100000}`, kind: 'channel' });
    await client.trpc.chat.send.mutate({ roomId: room.id, text: 'before leaving', clientMessageId: 'left-1' });
    await client.trpc.room.leave.mutate({ roomId: room.id });
    // Refused as any send to a channel one is not in (FORBIDDEN: join first), not answered with the stored message.
    const fresh = await codeOf(() => client.trpc.chat.send.mutate({ roomId: room.id, text: 'after leaving', clientMessageId: 'left-2' }));
    expect(fresh).toBe('FORBIDDEN');
    expect(await codeOf(() => client.trpc.chat.send.mutate({ roomId: room.id, text: 'before leaving', clientMessageId: 'left-1' }))).toBe(fresh);
  });
});

describe('chat.edit and chat.react under the message limit', () => {
  const budgetOf = (points: number) => ({ messagesPerUser: { points, duration: 60, burst: 0, burstDuration: 60 } });

  it('answers an edit to the same text and a reaction already as asked without spending the budget', async () => {
    const local = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), rateLimits: budgetOf(3) });
    try {
      const { client } = await signUpClient(local);
      const sent = await client.trpc.chat.send.mutate({ text: 'draft' });
      const edited = await client.trpc.chat.edit.mutate({ messageId: sent.id, text: 'final' });
      const reacted = await client.trpc.chat.react.mutate({ messageId: sent.id, emoji: '👍', on: true });
      // The budget of three is spent; retries that change nothing are still answered, as they are.
      for (let i = 0; i < 5; i++) {
        expect(await client.trpc.chat.edit.mutate({ messageId: sent.id, text: 'final' })).toEqual({ ...edited, reactions: reacted.reactions });
        expect(await client.trpc.chat.react.mutate({ messageId: sent.id, emoji: '👍', on: true })).toEqual(reacted);
        expect(await client.trpc.chat.react.mutate({ messageId: sent.id, emoji: '🎉', on: false })).toEqual(reacted);
      }
      // Anything that would change the message is refused, and was not written.
      expect(await codeOf(() => client.trpc.chat.edit.mutate({ messageId: sent.id, text: 'changed' }))).toBe('TOO_MANY_REQUESTS');
      expect(await codeOf(() => client.trpc.chat.react.mutate({ messageId: sent.id, emoji: '👍', on: false }))).toBe('TOO_MANY_REQUESTS');
      const { messages } = await client.trpc.chat.history.query({ limit: 10 });
      expect(messages.map((m) => [m.text, m.reactions?.map((r) => r.emoji)])).toEqual([['final', reacted.reactions.map((r) => r.emoji)]]);
    } finally {
      await local.dispose();
    }
  });

  it('still charges every refusal: a missing id, another user\'s message with its exact text, a reaction in a room left', async () => {
    const local = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), rateLimits: budgetOf(4) });
    try {
      const bob = await signUpClient(local);
      const mallory = await signUpClient(local);
      const room = await mallory.client.trpc.room.create.mutate({ name: `leave-${Date.now() % 100000}`, kind: 'channel' });
      const inRoom = await mallory.client.trpc.chat.send.mutate({ roomId: room.id, text: 'mine' });
      await mallory.client.trpc.chat.react.mutate({ messageId: inRoom.id, emoji: '👍', on: true });
      await mallory.client.trpc.room.leave.mutate({ roomId: room.id });
      const bobs = await bob.client.trpc.chat.send.mutate({ text: 'bob wrote this' });
      // Two points spent; each refused probe below costs one more, as before this change.
      expect(await codeOf(() => mallory.client.trpc.chat.edit.mutate({ messageId: bobs.id, text: 'bob wrote this' }))).toBe('FORBIDDEN');
      // The reaction is still stored, but the room is no longer hers: not answered as a no-op.
      expect(await codeOf(() => mallory.client.trpc.chat.react.mutate({ messageId: inRoom.id, emoji: '👍', on: true }))).toBe('NOT_FOUND');
      expect(await codeOf(() => mallory.client.trpc.chat.edit.mutate({ messageId: '999999999', text: 'x' }))).toBe('TOO_MANY_REQUESTS');
      expect(await codeOf(() => mallory.client.trpc.chat.react.mutate({ messageId: inRoom.id, emoji: '👍', on: true }))).toBe('TOO_MANY_REQUESTS');
    } finally {
      await local.dispose();
    }
  });
});

describe('chat.history', () => {
  it('pages backwards in ascending order until nextBefore is null', async () => {
    const local = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl') });
    try {
      const { client } = await signUpClient(local);
      const sent: string[] = [];
      for (let i = 0; i < 7; i++) sent.push((await client.trpc.chat.send.mutate({ text: `m${i}` })).text);
      const newest = await client.trpc.chat.history.query({ limit: 3 });
      expect(newest.messages.map((m) => m.text)).toEqual(['m4', 'm5', 'm6']);
      expect(newest.nextBefore).toBe(newest.messages[0]!.id);
      const middle = await client.trpc.chat.history.query({ limit: 3, before: newest.nextBefore! });
      expect(middle.messages.map((m) => m.text)).toEqual(['m1', 'm2', 'm3']);
      const oldest = await client.trpc.chat.history.query({ limit: 3, before: middle.nextBefore! });
      expect(oldest.messages.map((m) => m.text)).toEqual(['m0']);
      expect(oldest.nextBefore).toBeNull();
      const exact = await client.trpc.chat.history.query({ limit: 7 });
      expect(exact.messages).toHaveLength(7);
      expect(exact.nextBefore).toBeNull();
      expect((await client.trpc.chat.history.query()).messages.map((m) => m.text)).toEqual(sent);
    } finally {
      await local.dispose();
    }
  });

  it.each([
    ['a limit of 0', { limit: 0 }],
    ['a limit of 101', { limit: 101 }],
    ['a non-numeric before', { before: 'abc' }],
    ['a negative before', { before: '-5' }],
    ['a before beyond int8', { before: '99999999999999999999' }],
  ])('refuses %s with BAD_REQUEST', async (_, input) => {
    const { client } = await signUpClient(server);
    expect(await codeOf(() => client.trpc.chat.history.query(input as never))).toBe('BAD_REQUEST');
  });
});

describe('user.search', () => {
  it('matches case-insensitively, prefix matches first, and honours the limit', async () => {
    const local = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl') });
    try {
      const { client } = await signUpClient(local, 'zz');
      for (const name of ['bob', 'Bobby', 'jimbob', 'alice']) {
        await client.trpc.auth.signup.mutate({ username: name, password: 'correct horse battery' });
      }
      const found = await client.trpc.user.search.query({ query: 'BOB' });
      expect(found.map((u) => u.username)).toEqual(['bob', 'Bobby', 'jimbob']);
      expect(found[0]).toEqual({ id: expect.any(String), username: 'bob', createdAt: expect.any(String), online: false });
      expect(await client.trpc.user.search.query({ query: 'bob', limit: 1 })).toHaveLength(1);
    } finally {
      await local.dispose();
    }
  });

  it('treats %, _ and \\ as literal characters', async () => {
    const local = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl') });
    try {
      const { client } = await signUpClient(local, 'plain');
      await client.trpc.auth.signup.mutate({ username: 'a_b', password: 'correct horse battery' });
      await client.trpc.auth.signup.mutate({ username: 'axb', password: 'correct horse battery' });
      expect((await client.trpc.user.search.query({ query: '_' })).map((u) => u.username)).toEqual(['a_b']);
      expect((await client.trpc.user.search.query({ query: 'a_b' })).map((u) => u.username)).toEqual(['a_b']);
      expect(await client.trpc.user.search.query({ query: '%' })).toEqual([]);
      expect(await client.trpc.user.search.query({ query: '\\' })).toEqual([]);
    } finally {
      await local.dispose();
    }
  });

  it.each([
    ['an empty query', { query: '' }],
    ['a 33-character query', { query: 'q'.repeat(33) }],
    ['a limit of 51', { query: 'a', limit: 51 }],
  ])('refuses %s with BAD_REQUEST', async (_, input) => {
    const { client } = await signUpClient(server);
    expect(await codeOf(() => client.trpc.user.search.query(input))).toBe('BAD_REQUEST');
  });
});

describe('chat.onMessage', () => {
  it('delivers the same messages in the same order to two subscribers', async () => {
    const a = await signUpClient(server);
    const b = await signUpClient(server);
    const seenA = collect<ChatMessage>();
    const seenB = collect<ChatMessage>();
    const subA = a.client.trpc.chat.onMessage.subscribe({}, { onData: (e) => seenA.push(e.data) });
    const subB = b.client.trpc.chat.onMessage.subscribe({}, { onData: (e) => seenB.push(e.data) });
    await settle();
    const sent = await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => a.client.trpc.chat.send.mutate({ text: `a${i}` })),
      ...Array.from({ length: 10 }, (_, i) => b.client.trpc.chat.send.mutate({ text: `b${i}` })),
    ]);
    const expected = sent.map((m) => m.id).sort((x, y) => Number(BigInt(x) - BigInt(y)));
    await expect.poll(() => seenA.items.length).toBe(20);
    await expect.poll(() => seenB.items.length).toBe(20);
    expect(seenA.items.map((m) => m.id)).toEqual(expected);
    expect(seenB.items.map((m) => m.id)).toEqual(expected);
    subA.unsubscribe();
    subB.unsubscribe();
    await a.client.close();
    await b.client.close();
  });

  it('replays everything after lastEventId, then continues live, with nothing lost or repeated', async () => {
    const reader = await signUpClient(server);
    const writer = await signUpClient(server);
    const start = await writer.client.trpc.chat.send.mutate({ text: 'before the drop' });
    const missed: string[] = [];
    for (let i = 0; i < 5; i++) missed.push((await writer.client.trpc.chat.send.mutate({ text: `missed ${i}` })).id);
    const seen = collect<{ id: string | undefined; text: string }>();
    const sub = reader.client.trpc.chat.onMessage.subscribe(
      { lastEventId: start.id },
      { onData: (e) => seen.push({ id: e.id, text: e.data.text }) },
    );
    await expect.poll(() => seen.items.length).toBe(5);
    const live = await writer.client.trpc.chat.send.mutate({ text: 'live after resume' });
    await expect.poll(() => seen.items.length).toBe(6);
    expect(seen.items.map((m) => m.id)).toEqual([...missed, live.id]);
    sub.unsubscribe();
    await reader.client.close();
  });

  it('resumes after the server drops the connection, with nothing lost or repeated', async () => {
    const reader = await signUpClient(server);
    const writer = await signUpClient(server);
    const seen = collect<string>();
    const sub = reader.client.trpc.chat.onMessage.subscribe({}, { onData: (e) => seen.push(e.data.text) });
    await settle();
    await writer.client.trpc.chat.send.mutate({ text: 'one' });
    await expect.poll(() => seen.items).toEqual(['one']);

    await server.stop();
    // Committed while no server runs, so never published live: only a lastEventId resume can deliver them.
    const messages = repositoriesFor(server.orm.em.fork()).messages;
    await messages.append({ authorId: writer.user.id, text: 'two', clientMessageId: null });
    await messages.append({ authorId: writer.user.id, text: 'three', clientMessageId: null });
    await server.start();
    await expect.poll(() => seen.items, { timeout: 10_000 }).toEqual(['one', 'two', 'three']);
    await writer.client.trpc.chat.send.mutate({ text: 'four' });
    await expect.poll(() => seen.items).toEqual(['one', 'two', 'three', 'four']);
    sub.unsubscribe();
    await reader.client.close();
  });

  it('refuses a malformed lastEventId with BAD_REQUEST', async () => {
    const { client } = await signUpClient(server);
    const error = await new Promise<unknown>((resolve) => {
      client.trpc.chat.onMessage.subscribe({ lastEventId: 'DROP TABLE' }, { onError: resolve, onData: () => resolve('data') });
    });
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<AppRouter>).data?.code).toBe('BAD_REQUEST');
    await client.close();
  });
});
