import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { codeOf, roomName, settle, sleep, watchEvents } from '../testing/rooms.test-helpers';
import { createTestClient, refusalOf, signUpClient } from '../testing/test-client';
import { redisAvailable } from '../testing/test-redis';
import type { TestServer } from '../testing/testing';
import { startTwoInstances } from '../testing/two-instances';

// Two instances of one deployment: members act on one, the watched users sit on the other.
const hasRedis = await redisAvailable('rooms.authorization.test.ts');
let a: TestServer;
let b: TestServer;
let instances: Awaited<ReturnType<typeof startTwoInstances>> | undefined;
beforeAll(async () => {
  if (!hasRedis) return;
  instances = await startTwoInstances({ adminDatabaseUrl: inject('adminDatabaseUrl') });
  ({ a, b } = instances);
});
afterAll(() => instances?.dispose());

/** The same user on the other instance. */
const onB = (user: { token: string }) => createTestClient(b, user.token);


/** Every room-scoped call a user could try on `roomId`. */
function roomCalls(client: ReturnType<typeof createTestClient>, roomId: string, someone: string, messageId: string) {
  return {
    'chat.send': () => client.trpc.chat.send.mutate({ roomId, text: 'let me in' }),
    'chat.history': () => client.trpc.chat.history.query({ roomId }),
    'chat.typing': () => client.trpc.chat.typing.mutate({ roomId, typing: true }),
    'room.members': () => client.trpc.room.members.query({ roomId }),
    'room.markRead': () => client.trpc.room.markRead.mutate({ roomId, messageId }),
    'room.update': () => client.trpc.room.update.mutate({ roomId, topic: 'mine' }),
    'room.invite': () => client.trpc.room.invite.mutate({ roomId, userId: someone }),
    'room.remove': () => client.trpc.room.remove.mutate({ roomId, userId: someone }),
    'room.join': () => client.trpc.room.join.mutate({ roomId }),
    'room.leave': () => client.trpc.room.leave.mutate({ roomId }),
    'chat.onMessage': () =>
      new Promise((resolve, reject) => {
        const sub = client.trpc.chat.onMessage.subscribe({ roomId }, { onError: reject, onData: () => resolve('data') });
        setTimeout(() => {
          sub.unsubscribe();
          resolve('resolved');
        }, 1_000);
      }),
  };
}

describe.runIf(hasRedis)('a DM outsider', () => {
  it('gets the answer of a missing room from every procedure, on either instance', async () => {
    const x = await signUpClient(a);
    const y = await signUpClient(a);
    const outsider = await signUpClient(a);
    const dm = await x.client.trpc.room.openDirect.mutate({ userId: y.user.id });
    const m = await x.client.trpc.chat.send.mutate({ roomId: dm.id, text: 'secret' });
    const missing = randomUUID();
    const onOtherInstance = onB(outsider);
    for (const client of [outsider.client, onOtherInstance]) {
      const forDm = roomCalls(client, dm.id, y.user.id, m.id);
      const forMissing = roomCalls(client, missing, y.user.id, m.id);
      for (const [name, call] of Object.entries(forDm)) {
        const answer = await refusalOf(call);
        expect(answer, name).toMatch(/^NOT_FOUND/);
        expect(answer, name).toBe(await refusalOf(forMissing[name as keyof typeof forMissing]));
      }
    }
    await onOtherInstance.close();
  });

  it('never sees the DM on chat.onEvent: not its messages, typing, joins or reads', async () => {
    const x = await signUpClient(a);
    const y = await signUpClient(a);
    const outsider = await signUpClient(a);
    const { cursor } = await x.client.trpc.chat.eventCursor.query();
    const outsiderB = onB(outsider);
    const yB = onB(y);
    const watched = watchEvents(outsiderB, cursor);
    const peer = watchEvents(yB, cursor);
    await settle();
    const dm = await x.client.trpc.room.openDirect.mutate({ userId: y.user.id });
    const m = await x.client.trpc.chat.send.mutate({ roomId: dm.id, text: 'secret' });
    await x.client.trpc.chat.typing.mutate({ roomId: dm.id, typing: true });
    await y.client.trpc.room.markRead.mutate({ roomId: dm.id, messageId: m.id });
    await expect.poll(() => peer.items.map((i) => i.data.type)).toEqual(expect.arrayContaining(['room.joined', 'message.created', 'typing', 'read.updated']));
    await sleep(500);
    expect(JSON.stringify(watched.items)).not.toContain(dm.id);
    expect(JSON.stringify(watched.items)).not.toContain('secret');
    // Resuming from the same cursor replays nothing of it either.
    const resumed = watchEvents(outsiderB, cursor);
    await settle();
    expect(JSON.stringify(resumed.items)).not.toContain(dm.id);
    expect((await outsider.client.trpc.room.list.query()).map((r) => r.id)).not.toContain(dm.id);
    for (const s of [watched, peer, resumed]) s.stop();
    await outsiderB.close();
    await yB.close();
  });
});

describe.runIf(hasRedis)('a public channel’s non-member', () => {
  it('is FORBIDDEN everything but joining, and sees nothing of it until then', async () => {
    const owner = await signUpClient(a);
    const visitor = await signUpClient(a);
    const room = await owner.client.trpc.room.create.mutate({ name: roomName(), kind: 'channel' });
    const m = await owner.client.trpc.chat.send.mutate({ roomId: room.id, text: 'members only' });
    const visitorB = onB(visitor);
    const calls = roomCalls(visitorB, room.id, owner.user.id, m.id);
    for (const name of ['chat.send', 'chat.history', 'chat.typing', 'room.members', 'room.markRead', 'room.update', 'room.invite', 'room.remove', 'chat.onMessage'] as const) {
      expect(await codeOf(calls[name]), name).toBe('FORBIDDEN');
    }
    const stream = watchEvents(visitorB);
    await settle();
    await owner.client.trpc.chat.send.mutate({ roomId: room.id, text: 'before the join' });
    await sleep(300);
    await visitor.client.trpc.room.join.mutate({ roomId: room.id });
    await owner.client.trpc.chat.send.mutate({ roomId: room.id, text: 'after the join' });
    await expect.poll(() => stream.durable().map((e) => e.type)).toEqual(['room.joined', 'message.created']);
    expect(JSON.stringify(stream.items)).not.toContain('before the join');
    stream.stop();
    await visitorB.close();
  });
});

describe.runIf(hasRedis)('a removed member', () => {
  it('is told on the other instance, then receives nothing more, live or on resume', async () => {
    const owner = await signUpClient(a);
    const member = await signUpClient(a);
    const room = await owner.client.trpc.room.create.mutate({ name: roomName(), kind: 'private' });
    await owner.client.trpc.room.invite.mutate({ roomId: room.id, userId: member.user.id });
    const memberB = onB(member);
    const { cursor } = await owner.client.trpc.chat.eventCursor.query();
    const stream = watchEvents(memberB, cursor);
    const messages: string[] = [];
    const messageSub = memberB.trpc.chat.onMessage.subscribe({ roomId: room.id }, { onData: (e) => messages.push(e.data.text) });
    await settle();
    await owner.client.trpc.chat.send.mutate({ roomId: room.id, text: 'while a member' });
    await owner.client.trpc.room.remove.mutate({ roomId: room.id, userId: member.user.id });
    await owner.client.trpc.chat.send.mutate({ roomId: room.id, text: 'after the removal' });
    await owner.client.trpc.chat.typing.mutate({ roomId: room.id, typing: true });
    await expect.poll(() => stream.durable().map((e) => e.type)).toEqual(['message.created', 'room.left']);
    expect(stream.durable()[1]).toMatchObject({ type: 'room.left', user: { id: member.user.id }, by: { id: owner.user.id } });
    await sleep(500);
    expect(JSON.stringify(stream.items)).not.toContain('after the removal');
    expect(stream.items.some((i) => i.data.type === 'typing')).toBe(false);
    expect(messages).toEqual(['while a member']);
    const resumed = watchEvents(memberB, cursor);
    await expect.poll(() => resumed.durable().map((e) => e.type)).toEqual(['message.created', 'room.left']);
    await sleep(300);
    expect(JSON.stringify(resumed.items)).not.toContain('after the removal');
    messageSub.unsubscribe();
    stream.stop();
    resumed.stop();
    await memberB.close();
  });

  it('cannot replay a clientMessageId into the room, read it, or keep an unread count for it', async () => {
    const owner = await signUpClient(a);
    const member = await signUpClient(a);
    const room = await owner.client.trpc.room.create.mutate({ name: roomName(), kind: 'private' });
    await owner.client.trpc.room.invite.mutate({ roomId: room.id, userId: member.user.id });
    const sent = await member.client.trpc.chat.send.mutate({ roomId: room.id, text: 'mine', clientMessageId: 'replay-me' });
    await owner.client.trpc.room.remove.mutate({ roomId: room.id, userId: member.user.id });
    const memberB = onB(member);
    const calls = roomCalls(memberB, room.id, owner.user.id, sent.id);
    expect(await refusalOf(() => memberB.trpc.chat.send.mutate({ roomId: room.id, text: 'mine', clientMessageId: 'replay-me' }))).toMatch(/^NOT_FOUND/);
    for (const [name, call] of Object.entries(calls)) expect(await codeOf(call), name).toBe('NOT_FOUND');
    expect((await memberB.trpc.room.list.query()).map((r) => r.id)).not.toContain(room.id);
    await memberB.close();
  });
});

describe.runIf(hasRedis)('typing per room', () => {
  it('reaches the room’s members on the other instance, and neither outsiders nor chat.onTyping', async () => {
    const x = await signUpClient(a);
    const y = await signUpClient(a);
    const outsider = await signUpClient(a);
    const room = await x.client.trpc.room.create.mutate({ name: roomName(), kind: 'private' });
    await x.client.trpc.room.invite.mutate({ roomId: room.id, userId: y.user.id });
    const yB = onB(y);
    const outsiderB = onB(outsider);
    const member = watchEvents(yB);
    const stranger = watchEvents(outsiderB);
    const everyoneTyping: unknown[] = [];
    const typingSub = outsiderB.trpc.chat.onTyping.subscribe(undefined, { onData: (e) => everyoneTyping.push(e) });
    await settle();
    await x.client.trpc.chat.typing.mutate({ roomId: room.id, typing: true });
    await expect.poll(() => member.items.map((i) => i.data)).toContainEqual({ type: 'typing', roomId: room.id, user: { id: x.user.id, username: x.user.username }, typing: true });
    await sleep(300);
    expect(stranger.items.some((i) => i.data.type === 'typing')).toBe(false);
    expect(everyoneTyping).toEqual([]);
    typingSub.unsubscribe();
    member.stop();
    stranger.stop();
    await yB.close();
    await outsiderB.close();
  });
});
