import { type ChatClient, type ChatMessage, createChatClient } from '@chat/client';
import { startTestServer, type TestServer } from '@chat/server/testing';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadModeratorEnv } from './env';
import { createLogger } from './log';
import { startModeratorBot } from './moderator';

const eventually = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 10_000 });

let server: TestServer;
const cleanups: (() => Promise<void>)[] = [];
beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl') });
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(() => server?.dispose());

let counter = 0;
const uniqueName = (prefix: string) => `${prefix}${Date.now().toString(36).slice(-5)}${counter++}`;
const password = 'correct horse battery';

async function account(prefix: string) {
  const client = await createChatClient({ url: server.url, username: uniqueName(prefix), password, signup: true, retryDelayMs: () => 50 });
  cleanups.push(() => client.close());
  return client;
}

async function startModerator(client: ChatClient, rule = /buy\s+cheap/iu) {
  const lines: string[] = [];
  const bot = startModeratorBot({ client, log: createLogger((line) => lines.push(line)), rule, reason: 'spam rule' });
  await bot.ready;
  cleanups.push(() => bot.stop());
  return { lines };
}

const inHistory = async (client: ChatClient, id: string, roomId?: string) =>
  (await client.chat.history.query(roomId === undefined ? {} : { roomId })).messages.find((m: ChatMessage) => m.id === id);

describe('the moderator bot', () => {
  it('as an admin, removes matching messages in #everyone (new or edited) with its reason, and leaves the rest', async () => {
    const modClient = await account('mod');
    // The operator's step: `pnpm user:role NAME admin` (here straight on the test database).
    await server.orm.em.fork().execute(`update users set role = 'admin' where id = ?`, [modClient.me.id]);
    const { lines } = await startModerator(modClient);
    const human = await account('human');
    const spam = await human.chat.send.mutate({ text: 'BUY  cheap watches here' });
    const fine = await human.chat.send.mutate({ text: 'cheap talk, no buying' });
    const later = await human.chat.send.mutate({ text: 'innocent' });
    await human.chat.edit.mutate({ messageId: later.id, text: 'now buy cheap stuff' });
    await eventually(async () => (await inHistory(human, spam.id))?.deleted).toMatchObject({ by: 'moderator' });
    await eventually(async () => (await inHistory(human, later.id))?.deleted).toMatchObject({ by: 'moderator' });
    expect(await inHistory(human, fine.id)).toMatchObject({ text: 'cheap talk, no buying' });
    expect(lines.filter((l) => / info removed /.test(l))).toHaveLength(2);
    const audit = await server.orm.em.fork().execute<{ reason: string; actor_id: string }[]>(
      `select reason, actor_id from audit_log where action = 'message.delete' and details->>'messageId' = ?`,
      [spam.id],
    );
    expect(audit).toEqual([{ reason: 'spam rule', actor_id: modClient.me.id }]);
  });

  it('moderates a channel it created; where it is not a moderator it says so once and deletes nothing', async () => {
    const botClient = await account('chanmod');
    const human = await account('human');
    const { lines } = await startModerator(botClient);
    const own = await botClient.room.create.mutate({ name: uniqueName('mod-chan'), kind: 'channel' });
    const other = await human.room.create.mutate({ name: uniqueName('other-chan'), kind: 'channel' });
    await human.room.join.mutate({ roomId: own.id });
    await botClient.room.join.mutate({ roomId: other.id });
    const inOwn = await human.chat.send.mutate({ roomId: own.id, text: 'buy cheap pills' });
    const inOther = await human.chat.send.mutate({ roomId: other.id, text: 'buy cheap pills' });
    await human.chat.send.mutate({ roomId: other.id, text: 'buy cheap again' });
    await eventually(async () => (await inHistory(human, inOwn.id, own.id))?.deleted).toMatchObject({ by: 'moderator' });
    await eventually(() => lines.filter((l) => / warn not a moderator here /.test(l)).length).toBe(1);
    expect(await inHistory(human, inOther.id, other.id)).toMatchObject({ text: 'buy cheap pills' });
  });
});

describe('loadModeratorEnv', () => {
  it('compiles MODERATOR_RULE case-insensitively and refuses one that is not a regular expression', () => {
    const env = loadModeratorEnv({ BOT_PASSWORD: password, MODERATOR_RULE: 'spam+' });
    expect(env).toMatchObject({ BOT_USERNAME: 'moderator-bot', MODERATOR_REASON: 'Matched the moderator bot’s rule' });
    expect(env.MODERATOR_RULE.test('SPAMMM')).toBe(true);
    expect(() => loadModeratorEnv({ BOT_PASSWORD: password, MODERATOR_RULE: '(' })).toThrow(/MODERATOR_RULE is not a regular expression/);
    expect(() => loadModeratorEnv({ BOT_PASSWORD: password })).toThrow(/MODERATOR_RULE is required/);
  });
});
