import type { ChatEvent } from '@chat/api';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { repositoriesFor } from '@chat/db';
import { codeOf, roomName, settle, watchEvents } from '../testing/rooms.test-helpers';
import { signUpClient, type TestClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/testing';

// Security round 3, class 1: nobody receives content written or changed after their access to a
// room ended (docs/decisions/123-content-after-access-ends.md). The attacker was a member of a
// private room, kept a cursor, lost access, and then reads by every path while the room goes on.

type Account = Awaited<ReturnType<typeof signUpClient>>;
let server: TestServer;
const accounts: Account[] = [];
const account = async (prefix: string) => {
  const made = await signUpClient(server, prefix);
  accounts.push(made);
  return made;
};

beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl') });
}, 60_000);
afterAll(async () => {
  await Promise.all(accounts.map((a) => a.client.close()));
  await server?.dispose();
});

/** A chat.onEvent resume from `cursor`: its replay, up to the presence snapshot that follows it. */
async function replayFrom(client: TestClient, cursor: string): Promise<ChatEvent[]> {
  const watch = watchEvents(client, cursor);
  try {
    for (let i = 0; i < 200 && !watch.items.some((item) => item.data.type === 'presence.snapshot'); i++) {
      if (watch.errors.length > 0) throw watch.errors[0];
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(watch.items.some((item) => item.data.type === 'presence.snapshot')).toBe(true);
    return watch.durable();
  } finally {
    watch.stop();
  }
}

/**
 * A private room with the owner, the attacker and a bystander: the attacker sees a message, a
 * reply quoting another message and a reaction while a member, and holds a cursor from then.
 */
async function roomTheAttackerSaw() {
  const [owner, attacker, bystander] = await Promise.all([account('owner'), account('attacker'), account('bystander')]);
  const room = await owner.client.trpc.room.create.mutate({ name: roomName('private'), kind: 'private' });
  await owner.client.trpc.room.invite.mutate({ roomId: room.id, userId: attacker.user.id });
  await owner.client.trpc.room.invite.mutate({ roomId: room.id, userId: bystander.user.id });
  const { cursor } = await attacker.client.trpc.chat.eventCursor.query();
  const kept = await owner.client.trpc.chat.send.mutate({ roomId: room.id, text: 'kept before' });
  const plain = await owner.client.trpc.chat.send.mutate({ roomId: room.id, text: 'plain before' });
  const quoted = await owner.client.trpc.chat.send.mutate({ roomId: room.id, text: 'quoted before' });
  const reply = await owner.client.trpc.chat.send.mutate({ roomId: room.id, text: 'a reply before', replyTo: quoted.id });
  await owner.client.trpc.chat.react.mutate({ messageId: plain.id, emoji: '👍', on: true });
  return { owner, attacker, bystander, room, cursor, kept, plain, quoted, reply };
}

/** What the room does after the attacker's access ended: edits, a new message, a reaction. */
async function roomGoesOn(r: Awaited<ReturnType<typeof roomTheAttackerSaw>>) {
  await r.owner.client.trpc.chat.edit.mutate({ messageId: r.plain.id, text: 'plain secretafter' });
  await r.owner.client.trpc.chat.edit.mutate({ messageId: r.quoted.id, text: 'quoted secretafter' });
  // Naming them counts as a mention only for members: no notification reaches them.
  await r.owner.client.trpc.chat.send.mutate({ roomId: r.room.id, text: `new secretafter @${r.attacker.user.username}` });
  await r.bystander.client.trpc.chat.react.mutate({ messageId: r.plain.id, emoji: '👍', on: true });
}

const leaks = (events: ChatEvent[], r: { bystander: Account }) =>
  events.map((e) => JSON.stringify(e)).filter((json) => json.includes('secretafter') || json.includes(r.bystander.user.username));

describe.each([
  ['removed by the owner', (r: Awaited<ReturnType<typeof roomTheAttackerSaw>>) => r.owner.client.trpc.room.remove.mutate({ roomId: r.room.id, userId: r.attacker.user.id })],
  ['who left', (r: Awaited<ReturnType<typeof roomTheAttackerSaw>>) => r.attacker.client.trpc.room.leave.mutate({ roomId: r.room.id })],
])('a member %s', (_how, endAccess) => {
  it('resuming chat.onEvent from a cursor of their membership gets no text edited after it ended (replayed messages, reply quotes)', async () => {
    const r = await roomTheAttackerSaw();
    await endAccess(r);
    await roomGoesOn(r);
    const replay = await replayFrom(r.attacker.client, r.cursor);
    expect(leaks(replay, r)).toEqual([]);
    // The replay still ends with their own removal, so a client drops the room (no mention count after it).
    expect(replay.at(-1)).toMatchObject({ type: 'room.left', roomId: r.room.id, user: { id: r.attacker.user.id } });
    // Messages changed since are left out whole (a reply whose quote changed too); the unchanged one and
    // the reaction their access saw still come, with what they saw.
    const created = replay.flatMap((e) => (e.type === 'message.created' ? [e.message] : []));
    expect(created.map((m) => [m.id, m.text])).toEqual([[r.kept.id, 'kept before']]);
    expect(replay.filter((e) => e.type === 'reaction.changed')).toMatchObject([{ messageId: r.plain.id, count: 1, users: [{ id: r.owner.user.id }] }]);
  });

  it('gets nothing of the room from history, search or chat.onMessage (guard: these hold by current membership)', async () => {
    const r = await roomTheAttackerSaw();
    await endAccess(r);
    await roomGoesOn(r);
    expect(await codeOf(() => r.attacker.client.trpc.chat.history.query({ roomId: r.room.id }))).toBe('NOT_FOUND');
    expect(await codeOf(() => r.attacker.client.trpc.chat.search.query({ query: 'secretafter', roomId: r.room.id }))).toBe('NOT_FOUND');
    expect((await r.attacker.client.trpc.chat.search.query({ query: 'secretafter' })).results).toEqual([]);
    expect((await r.attacker.client.trpc.chat.search.query({ query: 'before' })).results).toEqual([]);
    // A bot's resume of the room's messages, from a message id of their membership.
    let sub: { unsubscribe(): void } | undefined;
    const onMessage = await new Promise<string>((resolve) => {
      sub = r.attacker.client.trpc.chat.onMessage.subscribe(
        { roomId: r.room.id, lastEventId: r.plain.id },
        { onData: (m) => resolve(`data: ${m.data.text}`), onError: (e) => resolve((e.data as { code?: string } | undefined)?.code ?? 'error') },
      );
      setTimeout(() => resolve('nothing'), 1_500);
    });
    sub?.unsubscribe();
    expect(onMessage).toBe('NOT_FOUND');
  });
});

describe('a member removed, then invited back', () => {
  it('sees the room as it is now again, by replay and history (access restored)', async () => {
    const r = await roomTheAttackerSaw();
    await r.owner.client.trpc.room.remove.mutate({ roomId: r.room.id, userId: r.attacker.user.id });
    await roomGoesOn(r);
    await r.owner.client.trpc.room.invite.mutate({ roomId: r.room.id, userId: r.attacker.user.id });
    const replay = await replayFrom(r.attacker.client, r.cursor);
    const created = replay.find((e) => e.type === 'message.created' && e.message.id === r.plain.id);
    expect(created).toMatchObject({ message: { text: 'plain secretafter' } });
    const history = await r.attacker.client.trpc.chat.history.query({ roomId: r.room.id });
    expect(history.messages.map((m) => m.text)).toContain(`new secretafter @${r.attacker.user.username}`);
  });

  it('who leaves again gets nothing changed after the second end, even from the first cursor', async () => {
    const r = await roomTheAttackerSaw();
    await r.owner.client.trpc.room.remove.mutate({ roomId: r.room.id, userId: r.attacker.user.id });
    await r.owner.client.trpc.room.invite.mutate({ roomId: r.room.id, userId: r.attacker.user.id });
    // Changed while they were back: theirs to see.
    await r.owner.client.trpc.chat.edit.mutate({ messageId: r.quoted.id, text: 'quoted while back' });
    await r.attacker.client.trpc.room.leave.mutate({ roomId: r.room.id });
    await roomGoesOn(r);
    const replay = await replayFrom(r.attacker.client, r.cursor);
    expect(leaks(replay, r)).toEqual([]);
  });
});

describe('a member removed while their instance missed the events (the feed reads the gap from the database)', () => {
  it('gets no text edited after their removal on the live stream either', async () => {
    const [owner, attacker] = await Promise.all([account('owner'), account('attacker')]);
    const room = await owner.client.trpc.room.create.mutate({ name: roomName('gap'), kind: 'private' });
    await owner.client.trpc.room.invite.mutate({ roomId: room.id, userId: attacker.user.id });
    const live = watchEvents(attacker.client);
    await settle();
    // Written as another instance would while the bus was down: nothing is published.
    const repos = () => repositoriesFor(server.orm.em.fork());
    const sent = await repos().messages.append({ authorId: owner.user.id, roomId: room.id, text: 'gap before', clientMessageId: null });
    if (sent.refused) throw new Error('append refused');
    await repos().rooms.removeMember(room.id, attacker.user.id, owner.user.id);
    await repos().messages.edit({ messageId: sent.message.id, authorId: owner.user.id, text: 'gap secretafter', mentionNames: [] });
    // The next published event shows this instance the gap, which its feed then reads.
    await owner.client.trpc.chat.send.mutate({ text: 'gap trigger' });
    await expect.poll(() => live.durable().some((e) => e.type === 'message.created' && e.message.text === 'gap trigger'), { timeout: 10_000 }).toBe(true);
    live.stop();
    expect(live.durable().map((e) => JSON.stringify(e)).filter((json) => json.includes('secretafter'))).toEqual([]);
    expect(live.durable()).toContainEqual(expect.objectContaining({ type: 'room.left', roomId: room.id }));
  });
});
