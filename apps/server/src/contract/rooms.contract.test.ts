import type { ChatEvent, RoomListItem } from '@chat/api';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { codeOf, roomName, settle, watchEvents } from '../testing/rooms.test-helpers';
import { createTestClient, signUpClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/testing';

const EVERYONE = '00000000-0000-4000-8000-000000000001';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), eventReplayLimit: 20 });
});
afterAll(() => server?.dispose());

describe('room.list', () => {
  it('gives a new account #everyone, read up to now', async () => {
    const { client } = await signUpClient(server);
    const rooms = await client.trpc.room.list.query();
    expect(rooms).toEqual([
      expect.objectContaining({ id: EVERYONE, kind: 'channel', name: 'everyone', peer: null, createdBy: null, unread: 0 }),
    ]);
  });

  it('orders by last activity and counts only others’ messages after the read position', async () => {
    const a = await signUpClient(server);
    const b = await signUpClient(server);
    const first = await a.client.trpc.room.create.mutate({ name: roomName(), kind: 'channel', topic: 'one' });
    const second = await a.client.trpc.room.create.mutate({ name: roomName(), kind: 'channel' });
    await b.client.trpc.room.join.mutate({ roomId: first.id });
    await b.client.trpc.room.join.mutate({ roomId: second.id });
    const m1 = await b.client.trpc.chat.send.mutate({ roomId: first.id, text: 'one' });
    await b.client.trpc.chat.send.mutate({ roomId: first.id, text: 'two' });
    await a.client.trpc.chat.send.mutate({ roomId: first.id, text: 'mine' });
    const list = await a.client.trpc.room.list.query();
    expect(list[0]).toMatchObject({ id: first.id, unread: 2, topic: 'one', memberCount: 2 });
    expect(list.map((r) => r.id)).toContain(second.id);
    expect(list.findIndex((r) => r.id === first.id)).toBeLessThan(list.findIndex((r) => r.id === second.id));

    await a.client.trpc.room.markRead.mutate({ roomId: first.id, messageId: m1.id });
    expect((await a.client.trpc.room.list.query()).find((r) => r.id === first.id)).toMatchObject({ unread: 1, lastReadMessageId: m1.id });
  });
});

describe('room.create', () => {
  it('returns the room with its creator as the one member', async () => {
    const { client, user } = await signUpClient(server);
    const name = roomName('Chan');
    const room = await client.trpc.room.create.mutate({ name: `  ${name} `, kind: 'private', topic: ' plans ' });
    expect(room).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      kind: 'private',
      name,
      topic: 'plans',
      peer: null,
      createdBy: user.id,
      memberCount: 1,
      createdAt: expect.any(String),
    });
  });

  it('refuses a taken name in any case, #everyone’s included, with CONFLICT', async () => {
    const { client } = await signUpClient(server);
    const name = roomName();
    await client.trpc.room.create.mutate({ name, kind: 'channel' });
    expect(await codeOf(() => client.trpc.room.create.mutate({ name: name.toUpperCase(), kind: 'private' }))).toBe('CONFLICT');
    expect(await codeOf(() => client.trpc.room.create.mutate({ name: 'Everyone', kind: 'channel' }))).toBe('CONFLICT');
  });

  it.each([
    ['a one-letter name', { name: 'x', kind: 'channel' }],
    ['spaces in the name', { name: 'a b', kind: 'channel' }],
    ['kind dm', { name: 'abc', kind: 'dm' }],
    ['a 251-character topic', { name: 'abc', kind: 'channel', topic: 'x'.repeat(251) }],
  ])('refuses %s with BAD_REQUEST', async (_, input) => {
    const { client } = await signUpClient(server);
    expect(await codeOf(() => client.trpc.room.create.mutate(input as never))).toBe('BAD_REQUEST');
  });
});

describe('room.update', () => {
  it('lets the creator rename and change the topic, and no other member', async () => {
    const a = await signUpClient(server);
    const b = await signUpClient(server);
    const room = await a.client.trpc.room.create.mutate({ name: roomName(), kind: 'channel' });
    await b.client.trpc.room.join.mutate({ roomId: room.id });
    const name = roomName('renamed');
    expect(await a.client.trpc.room.update.mutate({ roomId: room.id, name, topic: 'new' })).toMatchObject({ name, topic: 'new' });
    expect(await codeOf(() => b.client.trpc.room.update.mutate({ roomId: room.id, topic: 'mine now' }))).toBe('FORBIDDEN');
  });
});

describe('room.browse', () => {
  it('lists public channels matching the query, never private rooms, with the caller’s membership', async () => {
    const a = await signUpClient(server);
    const b = await signUpClient(server);
    const tag = roomName('zq');
    const channel = await a.client.trpc.room.create.mutate({ name: `${tag}-pub`, kind: 'channel', topic: 't' });
    await a.client.trpc.room.create.mutate({ name: `${tag}-priv`, kind: 'private' });
    expect(await b.client.trpc.room.browse.query({ query: tag.toUpperCase() })).toEqual([
      { id: channel.id, name: `${tag}-pub`, topic: 't', memberCount: 1, joined: false },
    ]);
    expect(await a.client.trpc.room.browse.query({ query: tag })).toEqual([expect.objectContaining({ id: channel.id, joined: true })]);
  });

  it('treats % and _ in the query as literal characters', async () => {
    const { client } = await signUpClient(server);
    expect(await client.trpc.room.browse.query({ query: '%' })).toEqual([]);
  });
});

describe('room.join and room.leave', () => {
  it('joins a channel (twice is fine) and leaves it (twice is fine)', async () => {
    const a = await signUpClient(server);
    const b = await signUpClient(server);
    const room = await a.client.trpc.room.create.mutate({ name: roomName(), kind: 'channel' });
    expect(await b.client.trpc.room.join.mutate({ roomId: room.id })).toMatchObject({ id: room.id, memberCount: 2 });
    expect(await b.client.trpc.room.join.mutate({ roomId: room.id })).toMatchObject({ memberCount: 2 });
    expect((await b.client.trpc.room.list.query()).map((r) => r.id)).toContain(room.id);
    expect(await b.client.trpc.room.leave.mutate({ roomId: room.id })).toBeNull();
    expect(await b.client.trpc.room.leave.mutate({ roomId: room.id })).toBeNull();
    expect((await b.client.trpc.room.list.query()).map((r) => r.id)).not.toContain(room.id);
  });

  it('refuses to leave #everyone or a DM with BAD_REQUEST', async () => {
    const a = await signUpClient(server);
    const b = await signUpClient(server);
    expect(await codeOf(() => a.client.trpc.room.leave.mutate({ roomId: EVERYONE }))).toBe('BAD_REQUEST');
    const dm = await a.client.trpc.room.openDirect.mutate({ userId: b.user.id });
    expect(await codeOf(() => a.client.trpc.room.leave.mutate({ roomId: dm.id }))).toBe('BAD_REQUEST');
  });

  it('answers NOT_FOUND for a private room, a DM and a missing room alike', async () => {
    const a = await signUpClient(server);
    const b = await signUpClient(server);
    const c = await signUpClient(server);
    const priv = await a.client.trpc.room.create.mutate({ name: roomName(), kind: 'private' });
    const dm = await a.client.trpc.room.openDirect.mutate({ userId: b.user.id });
    for (const roomId of [priv.id, dm.id, randomUUID()]) {
      expect(await codeOf(() => c.client.trpc.room.join.mutate({ roomId }))).toBe('NOT_FOUND');
    }
  });
});

describe('room.invite and room.remove', () => {
  it('lets any member add people to a private room and only the creator remove them', async () => {
    const owner = await signUpClient(server);
    const member = await signUpClient(server);
    const guest = await signUpClient(server);
    const room = await owner.client.trpc.room.create.mutate({ name: roomName(), kind: 'private' });
    expect(await owner.client.trpc.room.invite.mutate({ roomId: room.id, userId: member.user.id })).toBeNull();
    expect(await member.client.trpc.room.invite.mutate({ roomId: room.id, userId: guest.user.id })).toBeNull();
    expect((await guest.client.trpc.room.list.query()).find((r) => r.id === room.id)).toMatchObject({ memberCount: 3, kind: 'private' });
    expect(await codeOf(() => member.client.trpc.room.remove.mutate({ roomId: room.id, userId: guest.user.id }))).toBe('FORBIDDEN');
    expect(await owner.client.trpc.room.remove.mutate({ roomId: room.id, userId: guest.user.id })).toBeNull();
    expect((await guest.client.trpc.room.list.query()).map((r) => r.id)).not.toContain(room.id);
    expect(await codeOf(() => guest.client.trpc.chat.history.query({ roomId: room.id }))).toBe('NOT_FOUND');
  });

  it('refuses invites to a DM with BAD_REQUEST and unknown users with NOT_FOUND', async () => {
    const a = await signUpClient(server);
    const b = await signUpClient(server);
    const c = await signUpClient(server);
    const dm = await a.client.trpc.room.openDirect.mutate({ userId: b.user.id });
    expect(await codeOf(() => a.client.trpc.room.invite.mutate({ roomId: dm.id, userId: c.user.id }))).toBe('BAD_REQUEST');
    const room = await a.client.trpc.room.create.mutate({ name: roomName(), kind: 'private' });
    expect(await codeOf(() => a.client.trpc.room.invite.mutate({ roomId: room.id, userId: randomUUID() }))).toBe('NOT_FOUND');
  });
});

describe('room.openDirect', () => {
  it('gives both users the same room, named after the other, even when opened concurrently', async () => {
    const a = await signUpClient(server);
    const b = await signUpClient(server);
    const opened = await Promise.all([
      ...Array.from({ length: 4 }, () => a.client.trpc.room.openDirect.mutate({ userId: b.user.id })),
      ...Array.from({ length: 4 }, () => b.client.trpc.room.openDirect.mutate({ userId: a.user.id })),
    ]);
    expect(new Set(opened.map((r) => r.id)).size).toBe(1);
    expect(opened[0]).toMatchObject({ kind: 'dm', name: b.user.username, peer: { id: b.user.id, username: b.user.username }, memberCount: 2, createdBy: null });
    expect(opened[7]).toMatchObject({ name: a.user.username, peer: { id: a.user.id, username: a.user.username } });
    expect((await b.client.trpc.room.list.query()).filter((r) => r.kind === 'dm')).toHaveLength(1);
  });

  it('refuses a DM with yourself (BAD_REQUEST) and with nobody (NOT_FOUND)', async () => {
    const a = await signUpClient(server);
    expect(await codeOf(() => a.client.trpc.room.openDirect.mutate({ userId: a.user.id }))).toBe('BAD_REQUEST');
    expect(await codeOf(() => a.client.trpc.room.openDirect.mutate({ userId: randomUUID() }))).toBe('NOT_FOUND');
  });
});

describe('room.markRead', () => {
  it('never moves the read position back, and refuses a message of another room', async () => {
    const a = await signUpClient(server);
    const b = await signUpClient(server);
    const dm = await a.client.trpc.room.openDirect.mutate({ userId: b.user.id });
    const m1 = await b.client.trpc.chat.send.mutate({ roomId: dm.id, text: 'one' });
    const m2 = await b.client.trpc.chat.send.mutate({ roomId: dm.id, text: 'two' });
    await a.client.trpc.room.markRead.mutate({ roomId: dm.id, messageId: m2.id });
    await a.client.trpc.room.markRead.mutate({ roomId: dm.id, messageId: m1.id });
    expect((await a.client.trpc.room.list.query()).find((r) => r.id === dm.id)).toMatchObject({ lastReadMessageId: m2.id, unread: 0 });
    const elsewhere = await b.client.trpc.chat.send.mutate({ text: 'in everyone' });
    expect(await codeOf(() => a.client.trpc.room.markRead.mutate({ roomId: dm.id, messageId: elsewhere.id }))).toBe('NOT_FOUND');
  });

  it('tells the reader’s other sockets, and nobody else', async () => {
    const a = await signUpClient(server);
    const aOther = createTestClient(server, a.token);
    const b = await signUpClient(server);
    const dm = await a.client.trpc.room.openDirect.mutate({ userId: b.user.id });
    const onOther = watchEvents(aOther);
    const onB = watchEvents(b.client);
    await settle();
    const m = await b.client.trpc.chat.send.mutate({ roomId: dm.id, text: 'read me' });
    await a.client.trpc.room.markRead.mutate({ roomId: dm.id, messageId: m.id });
    await expect.poll(() => onOther.durable().map((e) => e.type)).toEqual(['message.created', 'read.updated']);
    expect(onOther.durable()[1]).toMatchObject({ type: 'read.updated', roomId: dm.id, messageId: m.id, unread: 0 });
    await settle();
    expect(onB.durable().map((e) => e.type)).toEqual(['message.created']);
    onOther.stop();
    onB.stop();
    await aOther.close();
  });
});

describe('room.members', () => {
  it('lists the members with their online state, for members only', async () => {
    const a = await signUpClient(server);
    const b = await signUpClient(server);
    const room = await a.client.trpc.room.create.mutate({ name: roomName(), kind: 'private' });
    const members = await a.client.trpc.room.members.query({ roomId: room.id });
    expect(members).toEqual([{ id: a.user.id, username: a.user.username, online: expect.any(Boolean) }]);
    expect(await codeOf(() => b.client.trpc.room.members.query({ roomId: room.id }))).toBe('NOT_FOUND');
  });
});

describe('chat.send and chat.history with a roomId', () => {
  it('keeps a room’s messages in that room, and #everyone’s without a roomId', async () => {
    const a = await signUpClient(server);
    const room = await a.client.trpc.room.create.mutate({ name: roomName(), kind: 'channel' });
    const inRoom = await a.client.trpc.chat.send.mutate({ roomId: room.id, text: 'in the room' });
    const inEveryone = await a.client.trpc.chat.send.mutate({ text: 'in everyone' });
    const roomHistory = await a.client.trpc.chat.history.query({ roomId: room.id });
    expect(roomHistory.messages.map((m) => m.id)).toEqual([inRoom.id]);
    const everyone = await a.client.trpc.chat.history.query({ limit: 100 });
    expect(everyone.messages.map((m) => m.id)).toContain(inEveryone.id);
    expect(everyone.messages.map((m) => m.id)).not.toContain(inRoom.id);
    expect(await a.client.trpc.chat.history.query({ roomId: EVERYONE, limit: 100 })).toEqual(everyone);
  });

  it('scopes a clientMessageId to its room: the same id in another room is another message', async () => {
    const a = await signUpClient(server);
    const room = await a.client.trpc.room.create.mutate({ name: roomName(), kind: 'private' });
    const one = await a.client.trpc.chat.send.mutate({ roomId: room.id, text: 'room', clientMessageId: 'same-id' });
    const two = await a.client.trpc.chat.send.mutate({ text: 'everyone', clientMessageId: 'same-id' });
    expect(two.id).not.toBe(one.id);
    expect(two.text).toBe('everyone');
    expect(await a.client.trpc.chat.send.mutate({ roomId: room.id, text: 'retry', clientMessageId: 'same-id' })).toEqual(one);
  });
});

describe('chat.onEvent', () => {
  it('from chat.eventCursor, sends joins, messages and leaves in id order, each with its room state', async () => {
    const a = await signUpClient(server);
    const b = await signUpClient(server);
    const { cursor } = await a.client.trpc.chat.eventCursor.query();
    const stream = watchEvents(a.client, cursor);
    const room = await a.client.trpc.room.create.mutate({ name: roomName(), kind: 'channel' });
    await b.client.trpc.room.join.mutate({ roomId: room.id });
    const m = await b.client.trpc.chat.send.mutate({ roomId: room.id, text: 'hello' });
    await b.client.trpc.room.leave.mutate({ roomId: room.id });
    await expect.poll(() => stream.durable().map((e) => e.type)).toEqual(['room.joined', 'room.joined', 'message.created', 'room.left']);
    const [created, joined, message, left] = stream.durable();
    expect(created).toMatchObject({ roomId: room.id, user: { id: a.user.id }, room: { id: room.id, memberCount: 1 }, by: null, lastMessageId: null });
    expect(joined).toMatchObject({ user: { id: b.user.id }, room: { memberCount: 2 } });
    expect(message).toMatchObject({ roomId: room.id, message: { id: m.id, roomId: room.id, text: 'hello', author: { id: b.user.id } } });
    expect(left).toMatchObject({ user: { id: b.user.id }, by: null, memberCount: 1 });
    // Ids grow, and each item's tracked id is its cursor.
    const ids = stream.items.filter((i) => 'eventId' in i.data).map((i) => BigInt(i.id));
    expect([...ids].sort((x, y) => (x < y ? -1 : 1))).toEqual(ids);
    stream.stop();
  });

  it('replays what was missed from a lastEventId, then goes live, without duplicates', async () => {
    const a = await signUpClient(server);
    const room = await a.client.trpc.room.create.mutate({ name: roomName(), kind: 'private' });
    const { cursor } = await a.client.trpc.chat.eventCursor.query();
    await a.client.trpc.chat.send.mutate({ roomId: room.id, text: 'missed 1' });
    await a.client.trpc.chat.send.mutate({ roomId: room.id, text: 'missed 2' });
    const stream = watchEvents(a.client, cursor);
    await settle();
    await a.client.trpc.chat.send.mutate({ roomId: room.id, text: 'live' });
    const texts = () => stream.durable().flatMap((e) => (e.type === 'message.created' ? [e.message.text] : []));
    await expect.poll(texts).toEqual(['missed 1', 'missed 2', 'live']);
    stream.stop();
  });

  it('sends a typed resync instead of replaying more than the limit', async () => {
    const a = await signUpClient(server);
    const { cursor } = await a.client.trpc.chat.eventCursor.query();
    for (let i = 0; i < 25; i++) await a.client.trpc.chat.send.mutate({ text: `flood ${i}` });
    const { cursor: now } = await a.client.trpc.chat.eventCursor.query();
    const stream = watchEvents(a.client, cursor);
    await expect.poll(() => stream.items.length).toBeGreaterThan(0);
    expect(stream.items[0]).toEqual({ id: now, data: { type: 'resync', eventId: now } });
    await a.client.trpc.chat.send.mutate({ text: 'after the resync' });
    await expect.poll(() => stream.durable().at(-1)).toMatchObject({ type: 'message.created', message: { text: 'after the resync' } });
    stream.stop();
  });

  it('starts, fresh or resumed, with who is typing now in the caller’s rooms: not their own typing, not other rooms', async () => {
    const typer = await signUpClient(server);
    const reader = await signUpClient(server);
    const room = await typer.client.trpc.room.create.mutate({ name: roomName(), kind: 'channel' });
    const elsewhere = await typer.client.trpc.room.create.mutate({ name: roomName(), kind: 'private' });
    await reader.client.trpc.room.join.mutate({ roomId: room.id });
    const { cursor } = await reader.client.trpc.chat.eventCursor.query();
    // A start is announced once: this stream hears it live, the streams below only from their start.
    const live = watchEvents(reader.client, cursor);
    await settle();
    await typer.client.trpc.chat.typing.mutate({ roomId: room.id, typing: true });
    await typer.client.trpc.chat.typing.mutate({ roomId: elsewhere.id, typing: true });
    await reader.client.trpc.chat.typing.mutate({ roomId: room.id, typing: true });
    const typerTyping = { type: 'typing', roomId: room.id, user: { id: typer.user.id, username: typer.user.username }, typing: true };
    await expect.poll(() => live.items.map((i) => i.data)).toContainEqual(typerTyping);
    const lastId = live.items.at(-1)!.id;
    live.stop();

    for (const stream of [watchEvents(reader.client), watchEvents(reader.client, lastId)]) {
      await expect.poll(() => stream.items.some((i) => i.data.type === 'typing')).toBe(true);
      await settle();
      // Right after the presence snapshot, and only the typer in the shared room.
      const data = stream.items.map((i) => i.data);
      expect(data[data.findIndex((d) => d.type === 'presence.snapshot') + 1]).toEqual(typerTyping);
      expect(data.filter((d) => d.type === 'typing')).toEqual([typerTyping]);
      stream.stop();
    }
  });

  it('refuses a malformed lastEventId with BAD_REQUEST', async () => {
    const { client } = await signUpClient(server);
    const error = await new Promise((resolve) => {
      client.trpc.chat.onEvent.subscribe({ lastEventId: 'x' }, { onError: resolve, onData: () => resolve('data') });
    });
    expect(error).toMatchObject({ data: { code: 'BAD_REQUEST' } });
  });
});

/** What a client does with chat.onEvent: set absolute values, skip what the snapshot already has. */
function applyEvent(rooms: Map<string, RoomListItem>, me: string, e: ChatEvent) {
  const item = 'roomId' in e ? rooms.get(e.roomId) : undefined;
  switch (e.type) {
    case 'message.created': {
      if (!item || (item.lastMessageId !== null && BigInt(e.message.id) <= BigInt(item.lastMessageId))) return;
      item.lastMessageId = e.message.id;
      if (Date.parse(e.message.createdAt) > Date.parse(item.lastActivityAt)) item.lastActivityAt = e.message.createdAt;
      if (e.message.author.id !== me) item.unread = Math.min(item.unread + 1, 1000);
      return;
    }
    case 'room.joined':
      if (e.user.id === me) {
        rooms.set(e.roomId, { ...e.room, unread: 0, mentions: 0, lastReadMessageId: e.lastMessageId, lastMessageId: e.lastMessageId, lastActivityAt: e.lastActivityAt });
      } else if (item) Object.assign(item, e.room);
      return;
    case 'room.left':
      if (e.user.id === me) rooms.delete(e.roomId);
      else if (item) item.memberCount = e.memberCount;
      return;
    case 'room.updated':
      if (item) Object.assign(item, e.room);
      return;
    case 'read.updated':
      if (item) Object.assign(item, { lastReadMessageId: e.messageId, unread: e.unread });
      return;
    default:
      return;
  }
}

describe('snapshot + events', () => {
  it('a room list taken after chat.eventCursor, with the events after it applied, equals a fresh one', async () => {
    const a = await signUpClient(server);
    const b = await signUpClient(server);
    const { cursor } = await a.client.trpc.chat.eventCursor.query();
    const stream = watchEvents(a.client, cursor);
    const channel = await a.client.trpc.room.create.mutate({ name: roomName(), kind: 'channel' });
    // The snapshot is taken in the middle of the activity: some events after the cursor are already in it.
    const snapshot = await a.client.trpc.room.list.query();
    await b.client.trpc.room.join.mutate({ roomId: channel.id });
    const m1 = await b.client.trpc.chat.send.mutate({ roomId: channel.id, text: 'one' });
    await b.client.trpc.chat.send.mutate({ roomId: channel.id, text: 'two' });
    await a.client.trpc.chat.send.mutate({ roomId: channel.id, text: 'mine' });
    await a.client.trpc.room.markRead.mutate({ roomId: channel.id, messageId: m1.id });
    const dm = await b.client.trpc.room.openDirect.mutate({ userId: a.user.id });
    await b.client.trpc.chat.send.mutate({ roomId: dm.id, text: 'psst' });
    const priv = await b.client.trpc.room.create.mutate({ name: roomName(), kind: 'private' });
    await b.client.trpc.room.invite.mutate({ roomId: priv.id, userId: a.user.id });
    await b.client.trpc.chat.send.mutate({ roomId: priv.id, text: 'secret' });
    await b.client.trpc.room.update.mutate({ roomId: priv.id, topic: 'renamed topic' });
    const gone = await b.client.trpc.room.create.mutate({ name: roomName(), kind: 'private' });
    await b.client.trpc.room.invite.mutate({ roomId: gone.id, userId: a.user.id });
    await b.client.trpc.room.remove.mutate({ roomId: gone.id, userId: a.user.id });
    await b.client.trpc.room.leave.mutate({ roomId: channel.id });
    await signUpClient(server);
    await b.client.trpc.chat.send.mutate({ text: 'in everyone' });

    const { cursor: end } = await a.client.trpc.chat.eventCursor.query();
    await expect.poll(() => stream.items.at(-1)?.id).toBe(end);
    const rooms = new Map(snapshot.map((r) => [r.id, { ...r }]));
    for (const { data } of stream.items) applyEvent(rooms, a.user.id, data);
    const byId = (x: RoomListItem, y: RoomListItem) => (x.id < y.id ? -1 : 1);
    expect([...rooms.values()].sort(byId)).toEqual((await a.client.trpc.room.list.query()).sort(byId));
    stream.stop();
  });
});
