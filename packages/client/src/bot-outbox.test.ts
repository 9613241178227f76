import { startTestServer, type TestServer } from '@chat/server/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ChatClient, createChatClient } from './index';

const eventually = <T>(fn: () => T, opts: { timeout?: number } = {}) => expect.poll(fn, { timeout: 5_000, ...opts });

let server: TestServer;
const open: ChatClient[] = [];
beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl') });
});
afterAll(async () => {
  await Promise.all(open.map((c) => c.close()));
  await server?.dispose();
});

let counter = 0;
async function connect() {
  const username = `ob${Date.now().toString(36).slice(-5)}${counter++}`;
  const client = await createChatClient({ url: server.url, username, password: 'correct horse battery', signup: true, retryDelayMs: () => 100 });
  open.push(client);
  return client;
}

describe("the bot client's outbox", () => {
  it('delivers sends made while the server is down once each, in order, when it is back', async () => {
    const bot = await connect();
    const room = await bot.room.create.mutate({ name: `outbox-${counter++}`, kind: 'channel' });
    await server.stop();
    await eventually(() => bot.connectionState.get().state).toBe('reconnecting');
    const sends = ['first', 'second', 'third'].map((text) => bot.outbox.send({ roomId: room.id, text }));
    expect(bot.outbox.items().length).toBeLessThanOrEqual(3);
    await server.start();
    const delivered = await Promise.all(sends);
    expect(delivered.map((m) => m.text)).toEqual(['first', 'second', 'third']);
    const history = await bot.chat.history.query({ roomId: room.id, limit: 50 });
    expect(history.messages.map((m) => m.text)).toEqual(['first', 'second', 'third']);
    expect(bot.outbox.items()).toEqual([]);
  });

  it('rejects a refusal retrying cannot fix with its code, and the sends behind it still go', async () => {
    const bot = await connect();
    const other = await connect();
    const theirs = await other.room.create.mutate({ name: `private-${counter++}`, kind: 'private' });
    const mine = await bot.room.create.mutate({ name: `mine-${counter++}`, kind: 'channel' });
    const refused = bot.outbox.send({ roomId: theirs.id, text: 'not a member' }).catch((e: { data?: { code?: string } }) => e.data?.code);
    const after = bot.outbox.send({ roomId: mine.id, text: 'still goes' });
    expect(await refused).toBe('NOT_FOUND');
    expect((await after).text).toBe('still goes');
    expect(bot.outbox.items()).toEqual([]);
  });
});
