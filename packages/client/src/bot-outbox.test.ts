import { describe, expect, it } from 'vitest';
import { eventually, uniqueName, useTestServer } from './test-server';
import { createChatClient } from './index';

const env = useTestServer();

async function connect() {
  return env.keep(await createChatClient({ url: env.server.url, username: uniqueName('ob'), password: 'correct horse battery', signup: true, retryDelayMs: () => 100 }));
}

describe("the bot client's outbox", () => {
  it('delivers sends made while the server is down once each, in order, when it is back', async () => {
    const bot = await connect();
    const room = await bot.room.create.mutate({ name: uniqueName('outbox-'), kind: 'channel' });
    await env.server.stop();
    await eventually(() => bot.connectionState.get().state).toBe('reconnecting');
    const sends = ['first', 'second', 'third'].map((text) => bot.outbox.send({ roomId: room.id, text }));
    expect(bot.outbox.items().length).toBeLessThanOrEqual(3);
    await env.server.start();
    const delivered = await Promise.all(sends);
    expect(delivered.map((m) => m.text)).toEqual(['first', 'second', 'third']);
    const history = await bot.chat.history.query({ roomId: room.id, limit: 50 });
    expect(history.messages.map((m) => m.text)).toEqual(['first', 'second', 'third']);
    expect(bot.outbox.items()).toEqual([]);
  });

  it('rejects a refusal retrying cannot fix with its code, and the sends behind it still go', async () => {
    const bot = await connect();
    const other = await connect();
    const theirs = await other.room.create.mutate({ name: uniqueName('private-'), kind: 'private' });
    const mine = await bot.room.create.mutate({ name: uniqueName('mine-'), kind: 'channel' });
    const refused = bot.outbox.send({ roomId: theirs.id, text: 'not a member' }).catch((e: { data?: { code?: string } }) => e.data?.code);
    const after = bot.outbox.send({ roomId: mine.id, text: 'still goes' });
    expect(await refused).toBe('NOT_FOUND');
    expect((await after).text).toBe('still goes');
    expect(bot.outbox.items()).toEqual([]);
  });
});
