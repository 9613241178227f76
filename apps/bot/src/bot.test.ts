import { type ChatClient, type ChatMessage, createChatClient } from '@chat/client';
import { startTcpProxy } from '@chat/client/testing';
import { startTestServer, type TestServer } from '@chat/server/testing';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { startBot } from './bot';
import { createLogger } from './log';

// Polls longer than vitest's 1 s default: the whole suite shares two cores and a database.
const eventually = <T>(fn: () => T, opts: { timeout?: number } = {}) => expect.poll(fn, { timeout: 5_000, ...opts });

let server: TestServer;
const cleanups: (() => Promise<void>)[] = [];
beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl') });
});
// Each test's bots go before the next test starts: every bot answers every command it sees.
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(() => server?.dispose());

let counter = 0;
const uniqueName = (prefix: string) => `${prefix}${Date.now().toString(36).slice(-5)}${counter++}`;
const password = 'correct horse battery';

async function startHelperBot(url = server.url) {
  const lines: string[] = [];
  const client = await createChatClient({ url, username: uniqueName('bot'), password, signup: true, retryDelayMs: () => 50 });
  const bot = startBot({ client, log: createLogger((line) => lines.push(line)) });
  await bot.ready;
  const stop = async () => {
    await bot.stop();
    await client.close();
  };
  cleanups.push(stop);
  return { client, bot, lines, stop };
}

/** A person in the chat who records what the bot says. */
async function joinAsHuman() {
  const client = await createChatClient({ url: server.url, username: uniqueName('human'), password, signup: true });
  cleanups.push(() => client.close());
  const seen: ChatMessage[] = [];
  const subscription = client.onMessage((m) => void seen.push(m));
  await subscription.ready;
  return {
    client,
    say: (text: string) => client.chat.send.mutate({ text }),
    /** The bot's answer to one message (the bot keys each reply by the message it answers). */
    replyTo: async (message: ChatMessage, bot: ChatClient) => {
      const find = () => seen.find((m) => m.author.id === bot.me.id && m.clientMessageId === `reply-${message.id}`);
      await eventually(find, { timeout: 10_000 }).toBeDefined();
      return find()!.text;
    },
    fromBot: (bot: ChatClient) => seen.filter((m) => m.author.id === bot.me.id),
  };
}

describe('the example bot', () => {
  it('answers /help and /roll 2d6 from another user', async () => {
    const helper = await startHelperBot();
    const human = await joinAsHuman();

    expect(await human.replyTo(await human.say('/help'), helper.client)).toMatch(/\/roll NdM/);

    const roll = await human.replyTo(await human.say('/roll 2d6'), helper.client);
    const match = /^(\S+) rolled 2d6: (\d) \+ (\d) = (\d+)$/.exec(roll);
    expect(match, roll).not.toBeNull();
    const [, who, a, b, total] = match!;
    expect(who).toBe(human.client.me.username);
    for (const die of [a, b]) expect(['1', '2', '3', '4', '5', '6']).toContain(die);
    expect(Number(total)).toBe(Number(a) + Number(b));

    expect(helper.lines.some((l) => / info replied .*kind=roll/.test(l))).toBe(true);
  });

  it('answers /who from user.search, a bad /roll with its usage, and a mention with a greeting', async () => {
    const helper = await startHelperBot();
    const human = await joinAsHuman();
    const me = human.client.me.username;

    expect(await human.replyTo(await human.say(`/who ${me}`), helper.client)).toBe(`${me} has been here since ${human.client.me.createdAt.slice(0, 10)}.`);
    expect(await human.replyTo(await human.say('/roll 500d6'), helper.client)).toMatch(/1–100 dice/);
    expect(await human.replyTo(await human.say(`thanks @${helper.client.me.username}!`), helper.client)).toMatch(new RegExp(`^Hi ${me}!`));
  });

  it('reacts to the messages it answers (✅ for a command, 👋 for a greeting) and quotes them in its answer', async () => {
    const helper = await startHelperBot();
    const human = await joinAsHuman();
    const room = await human.client.room.create.mutate({ name: uniqueName('react'), kind: 'private' });
    await human.client.room.invite.mutate({ roomId: room.id, userId: helper.client.me.id });
    // The server writes each emoji as its set does (👍 as "👍\uFE0F"): compared without U+FE0F.
    const bare = (emoji: string) => emoji.replace(/\uFE0F/g, '');
    const changes: { messageId: string; emoji: string; user: string }[] = [];
    await human.client.onEvent((e) => void (e.type === 'reaction.changed' && changes.push({ messageId: e.messageId, emoji: bare(e.emoji), user: e.user.id }))).ready;

    const command = await human.client.chat.send.mutate({ roomId: room.id, text: '/roll 1d6' });
    const greeting = await human.client.chat.send.mutate({ roomId: room.id, text: `hello @${helper.client.me.username}` });
    const bot = { id: helper.client.me.id, username: helper.client.me.username };
    await eventually(() => changes, { timeout: 10_000 }).toEqual([
      { messageId: command.id, emoji: '✅', user: bot.id },
      { messageId: greeting.id, emoji: '👋', user: bot.id },
    ]);

    const { messages } = await human.client.chat.history.query({ roomId: room.id });
    const byId = (id: string) => messages.find((m) => m.id === id);
    const reactionsOf = (id: string) => byId(id)?.reactions?.map((r) => ({ ...r, emoji: bare(r.emoji) }));
    expect(reactionsOf(command.id)).toEqual([{ emoji: '✅', count: 1, users: [bot], me: false, order: expect.any(String) }]);
    expect(reactionsOf(greeting.id)).toEqual([{ emoji: '👋', count: 1, users: [bot], me: false, order: expect.any(String) }]);
    const answer = messages.find((m) => m.clientMessageId === `reply-${command.id}`);
    expect(answer?.replyTo).toEqual({ id: command.id, author: { id: human.client.me.id, username: human.client.me.username }, excerpt: '/roll 1d6', deleted: false });
    expect(helper.lines.some((l) => / info reacted .*emoji=✅/u.test(l))).toBe(true);
  });

  it('answers a command asked in a thread in that thread, never in the room', async () => {
    const helper = await startHelperBot();
    const human = await joinAsHuman();
    const room = await human.client.room.create.mutate({ name: uniqueName('thread'), kind: 'private' });
    await human.client.room.invite.mutate({ roomId: room.id, userId: helper.client.me.id });
    const root = await human.client.chat.send.mutate({ roomId: room.id, text: 'dice night' });
    const asked = await human.client.thread.reply.mutate({ rootId: root.id, text: '/roll 1d6' });
    const answered = async () => (await human.client.thread.history.query({ rootId: root.id })).replies.find((m) => m.clientMessageId === `reply-${asked.id}`);
    await eventually(answered, { timeout: 10_000 }).toBeDefined();
    expect((await answered())?.text).toMatch(/rolled 1d6: \d$/);
    const { messages } = await human.client.chat.history.query({ roomId: room.id });
    expect(messages.map((m) => m.id)).toEqual([root.id]);
    expect(helper.lines.some((l) => / info replied .*threadRootId=/.test(l))).toBe(true);
  });

  it('never answers its own messages', async () => {
    const helper = await startHelperBot();
    const human = await joinAsHuman();
    await helper.client.chat.send.mutate({ text: '/help' });
    await helper.client.chat.send.mutate({ text: `talking to myself, @${helper.client.me.username}` });
    // Messages are handled in order, so once this is answered the two above have been passed over.
    await human.replyTo(await human.say('/roll 1d6'), helper.client);
    expect(human.fromBot(helper.client).map((m) => m.clientMessageId)).toEqual([null, null, expect.stringMatching(/^reply-/)]);
  });

  it('survives a server restart and keeps answering', async () => {
    const helper = await startHelperBot();
    await server.stop();
    await server.start();
    const human = await joinAsHuman();
    expect(await human.replyTo(await human.say('/help'), helper.client)).toMatch(/\/help/);
    expect(helper.lines.some((l) => / warn connection state=reconnecting/.test(l))).toBe(true);
  });

  it('answers a command sent while it was cut off, once it is back', async () => {
    const proxy = await startTcpProxy(server.port);
    cleanups.push(() => proxy.close());
    const helper = await startHelperBot(proxy.url);
    const human = await joinAsHuman();

    await proxy.cut();
    await eventually(() => helper.client.connectionState.get().state).toBe('reconnecting');
    // The bot has no socket now; only resuming from its last message id can bring this back.
    const missed = await human.say('/roll 3d4');
    await proxy.restore();

    expect(await human.replyTo(missed, helper.client)).toMatch(/ rolled 3d4: /);
    expect(human.fromBot(helper.client)).toHaveLength(1);
  });

  it('answers in the room it was asked in, not in #everyone', async () => {
    const helper = await startHelperBot();
    const human = await joinAsHuman();
    const room = await human.client.room.create.mutate({ name: uniqueName('dice'), kind: 'private' });
    await human.client.room.invite.mutate({ roomId: room.id, userId: helper.client.me.id });

    const asked = await human.client.chat.send.mutate({ roomId: room.id, text: '/roll 1d6' });
    const answer = async () => (await human.client.chat.history.query({ roomId: room.id })).messages.find((m) => m.clientMessageId === `reply-${asked.id}`);
    await eventually(answer, { timeout: 10_000 }).toBeDefined();
    expect((await answer())?.author.id).toBe(helper.client.me.id);
    expect(human.fromBot(helper.client)).toEqual([]);
    expect(helper.lines.some((l) => l.includes(`roomId=${room.id}`))).toBe(true);
  });

  it('answers /help in a direct message with the bot, in that DM', async () => {
    const helper = await startHelperBot();
    const human = await joinAsHuman();
    const dm = await human.client.room.openDirect.mutate({ userId: helper.client.me.id });
    expect(dm.kind).toBe('dm');

    const asked = await human.client.chat.send.mutate({ roomId: dm.id, text: '/help' });
    const answer = async () => (await human.client.chat.history.query({ roomId: dm.id })).messages.find((m) => m.clientMessageId === `reply-${asked.id}`);
    await eventually(answer, { timeout: 10_000 }).toBeDefined();
    expect((await answer())?.text).toMatch(/\/roll NdM/);
    expect(human.fromBot(helper.client)).toEqual([]);
  });

  it('stops cleanly: stop() and close() resolve and the client reports closed', async () => {
    const helper = await startHelperBot();
    await helper.stop();
    expect(helper.client.connectionState.get().state).toBe('closed');
  });
});

describe('when the server rate-limits the bot', () => {
  let strict: TestServer;
  beforeAll(async () => {
    // Two messages per user per second, no burst: the bot's own chatter uses its allowance up.
    strict = await startTestServer({
      adminDatabaseUrl: inject('adminDatabaseUrl'),
      rateLimits: { messagesPerUser: { points: 2, duration: 1, burst: 0, burstDuration: 1 } },
    });
  });
  afterAll(() => strict?.dispose());

  it('backs off on TOO_MANY_REQUESTS and then answers', async () => {
    const lines: string[] = [];
    const client = await createChatClient({ url: strict.url, username: uniqueName('bot'), password, signup: true });
    const bot = startBot({ client, log: createLogger((line) => lines.push(line)), retry: { baseDelayMs: 200 } });
    cleanups.push(async () => {
      await bot.stop();
      await client.close();
    });
    await bot.ready;
    const human = await createChatClient({ url: strict.url, username: uniqueName('human'), password, signup: true });
    cleanups.push(() => human.close());
    const seen: ChatMessage[] = [];
    await human.onMessage((m) => void seen.push(m)).ready;

    await client.chat.send.mutate({ text: 'one' });
    await client.chat.send.mutate({ text: 'two' });
    const command = await human.chat.send.mutate({ text: '/roll 1d6' });

    await eventually(() => seen.find((m) => m.clientMessageId === `reply-${command.id}`), { timeout: 10_000 }).toBeDefined();
    expect(lines.some((l) => / warn rate-limited retryInMs=\d+ attempt=1$/.test(l))).toBe(true);
    expect(seen.filter((m) => m.clientMessageId === `reply-${command.id}`)).toHaveLength(1);
  });
});
