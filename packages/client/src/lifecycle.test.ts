import { describe, expect, it } from 'vitest';
import { eventually, uniqueName, useTestServer } from './test-server';
import { type AppRouter, type ChatStreamEvent, createChatClient, sameEmoji, TRPCClientError } from './index';

// Issue 15 through the bot client: every lifecycle call is the router's, typed (see
// lifecycle.types.test.ts), and each change reaches the other members on onEvent.

const env = useTestServer();


async function connect(prefix: string) {
  const client = await createChatClient({ url: env.server.url, username: uniqueName(prefix), password: 'correct horse battery', signup: true, retryDelayMs: () => 50 });
  env.keep(client);
  return client;
}

async function codeOf(call: Promise<unknown>) {
  const error = await call.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(TRPCClientError);
  return { code: (error as TRPCClientError<AppRouter>).data?.code, message: (error as Error).message };
}

/** Two members of a private room; `bob` records his stream. */
async function twoInARoom() {
  const alice = await connect('alice');
  const bob = await connect('bob');
  const room = await alice.room.create.mutate({ name: uniqueName('life'), kind: 'private' });
  await alice.room.invite.mutate({ roomId: room.id, userId: bob.me.id });
  const events: ChatStreamEvent[] = [];
  await bob.onEvent((e) => void events.push(e)).ready;
  const ofType = <T extends ChatStreamEvent['type']>(type: T) => events.filter((e): e is Extract<ChatStreamEvent, { type: T }> => e.type === type);
  return { alice, bob, room, ofType };
}

describe('the message lifecycle through the bot client', () => {
  it('edits, reacts, answers, mentions and deletes, and each change arrives on the other member\'s onEvent', async () => {
    const { alice, bob, room, ofType } = await twoInARoom();
    const aliceRef = { id: alice.me.id, username: alice.me.username };
    const bobRef = { id: bob.me.id, username: bob.me.username };

    const asked = await alice.chat.send.mutate({ roomId: room.id, text: `lunch at noon, @${bob.me.username}?` });
    expect(asked.mentions).toEqual([bobRef]);
    await eventually(() => ofType('mentions.updated').at(-1)?.mentions).toBe(1);

    const edited = await alice.chat.edit.mutate({ messageId: asked.id, text: `lunch at one, @${bob.me.username}?` });
    expect(edited).toMatchObject({ id: asked.id, text: `lunch at one, @${bob.me.username}?`, editedAt: expect.any(String) });
    await eventually(() => ofType('message.edited').map((e) => e.message.text)).toEqual([edited.text]);

    const reacted = await bob.chat.react.mutate({ messageId: asked.id, emoji: '👍', on: true });
    // The emoji comes back as the emoji set writes it (possibly with U+FE0F): compared with sameEmoji.
    const thumbs = reacted.reactions[0]!.emoji;
    expect(sameEmoji(thumbs, '👍')).toBe(true);
    expect(reacted).toEqual({ messageId: asked.id, reactions: [{ emoji: thumbs, count: 1, users: [bobRef], me: true, order: expect.any(String) }] });
    await eventually(() => ofType('reaction.changed')).toEqual([expect.objectContaining({ messageId: asked.id, emoji: thumbs, count: 1, user: bobRef, on: true })]);

    const answer = await bob.chat.send.mutate({ roomId: room.id, text: 'works for me', replyTo: asked.id });
    expect(answer.replyTo).toEqual({ id: asked.id, author: aliceRef, excerpt: edited.text, deleted: false });

    const found = await bob.chat.search.query({ query: 'lunch', roomId: room.id });
    expect(found.results.map((r) => r.message.id)).toEqual([asked.id]);
    expect(found.results[0]?.snippet.some((s) => s.match && /lunch/i.test(s.text))).toBe(true);

    const placeholder = await alice.chat.delete.mutate({ messageId: asked.id });
    expect(placeholder).toMatchObject({ id: asked.id, text: '', deleted: { by: 'author' } });
    expect(placeholder.reactions).toBeUndefined();
    await eventually(() => ofType('message.deleted').map((e) => e.messageId)).toEqual([asked.id]);
    // The mention went with the text.
    await eventually(() => ofType('mentions.updated').at(-1)?.mentions).toBe(0);

    const { messages } = await bob.chat.history.query({ roomId: room.id });
    expect(messages.find((m) => m.id === answer.id)?.replyTo).toEqual({ id: asked.id, author: aliceRef, excerpt: '', deleted: true });
    expect((await bob.chat.search.query({ query: 'lunch', roomId: room.id })).results).toEqual([]);
  });

  it('refuses with typed codes and messages that say what to do', async () => {
    const { alice, bob, room } = await twoInARoom();
    const mine = await alice.chat.send.mutate({ roomId: room.id, text: 'mine' });

    expect(await codeOf(bob.chat.edit.mutate({ messageId: mine.id, text: 'yours now' }))).toEqual({ code: 'FORBIDDEN', message: 'You can only edit your own messages' });
    expect((await codeOf(bob.chat.delete.mutate({ messageId: mine.id }))).code).toBe('FORBIDDEN');
    expect((await codeOf(bob.chat.react.mutate({ messageId: mine.id, emoji: 'thumbs up', on: true }))).code).toBe('BAD_REQUEST');

    // Not a member: exactly as for a message that does not exist.
    const outsider = await connect('eve');
    const refusals = await Promise.all([
      codeOf(outsider.chat.react.mutate({ messageId: mine.id, emoji: '👍', on: true })),
      codeOf(outsider.chat.react.mutate({ messageId: '999999999', emoji: '👍', on: true })),
    ]);
    expect(refusals[0]).toEqual(refusals[1]);
    expect(refusals[0]?.code).toBe('NOT_FOUND');
  });

  it('retries of an edit, a reaction and a delete change nothing and write no second event', async () => {
    const { alice, bob, room, ofType } = await twoInARoom();
    const mine = await alice.chat.send.mutate({ roomId: room.id, text: 'first' });
    for (let i = 0; i < 2; i++) {
      await alice.chat.edit.mutate({ messageId: mine.id, text: 'second' });
      await alice.chat.react.mutate({ messageId: mine.id, emoji: '🎉', on: true });
    }
    await alice.chat.delete.mutate({ messageId: mine.id });
    const again = await alice.chat.delete.mutate({ messageId: mine.id });
    expect(again).toMatchObject({ id: mine.id, text: '', deleted: { by: 'author' } });

    await eventually(() => ofType('message.deleted').length).toBe(1);
    // A marker after them all: once it is in, nothing else is on its way.
    await bob.chat.send.mutate({ roomId: room.id, text: 'marker' });
    await eventually(() => ofType('message.created').some((e) => e.message.text === 'marker')).toBe(true);
    expect([ofType('message.edited').length, ofType('reaction.changed').length, ofType('message.deleted').length]).toEqual([1, 1, 1]);
  });
});
