import type { ChatEvent } from '@chat/api';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { roomName, settle, watchEvents } from '../testing/rooms.test-helpers';
import { createTestClient, signUpClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/testing';
import { startTwoInstances } from '../testing/two-instances';

// chat.onEvent tells a user about themselves and the members of their rooms of at most
// PRESENCE_ROOM_MEMBER_LIMIT members (3 here, so the few accounts of this file make #everyone large);
// docs/decisions/121-presence-by-shared-rooms.md.
const LIMIT = 3;

type Watch = ReturnType<typeof watchEvents>;
type Account = Awaited<ReturnType<typeof signUpClient>>;

/** Who a stream was told is online: its last snapshot, then the changes after it (usernames, sorted). */
const onlineSeen = (watch: Watch) => {
  const now = new Map<string, string>();
  for (const { data } of watch.items as { data: ChatEvent }[]) {
    if (data.type === 'presence.snapshot') {
      now.clear();
      for (const u of data.users) now.set(u.id, u.username);
    } else if (data.type === 'presence.changed') {
      if (data.online) now.set(data.user.id, data.user.username);
      else now.delete(data.user.id);
    }
  }
  return [...now.values()].sort();
};
const snapshots = (watch: Watch) => watch.items.filter((i) => i.data.type === 'presence.snapshot');
const names = (...accounts: Account[]) => accounts.map((a) => a.user.username).sort();
/** A user is online while a subscription of theirs is open. */
const online = (account: Account) => watchEvents(account.client);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), presenceRoomMemberLimit: LIMIT });
  // More accounts than the limit: #everyone is a large room from the start.
  for (let i = 0; i < LIMIT + 1; i++) await signUpClient(server, 'filler');
});
afterAll(() => server?.dispose());

describe('presence on chat.onEvent, scoped to small rooms', () => {
  it('shows the members of a small room, and not someone met only in #everyone, in the snapshot and in the changes', async () => {
    const me = await signUpClient(server, 'me');
    const friend = await signUpClient(server, 'friend');
    const stranger = await signUpClient(server, 'stranger');
    const room = await me.client.trpc.room.create.mutate({ name: roomName(), kind: 'private' });
    await me.client.trpc.room.invite.mutate({ roomId: room.id, userId: friend.user.id });
    const friendOnline = online(friend);
    const strangerOnline = online(stranger);
    await settle();

    const mine = watchEvents(me.client);
    await expect.poll(() => snapshots(mine).length).toBe(1);
    expect(onlineSeen(mine)).toEqual(names(me, friend));

    // The stranger goes and comes back; the friend goes: only the friend's leave is told.
    strangerOnline.stop();
    await stranger.client.close();
    friendOnline.stop();
    await friend.client.close();
    await expect.poll(() => onlineSeen(mine), { timeout: 8000 }).toEqual(names(me));
    const strangerBack = createTestClient(server, stranger.token);
    const strangerAgain = watchEvents(strangerBack);
    await settle();
    await expect.poll(() => snapshots(strangerAgain).length).toBe(1);
    await settle();
    const told = mine.items.filter((i) => i.data.type === 'presence.changed').map((i) => (i.data as { user: { username: string } }).user.username);
    expect(told).not.toContain(stranger.user.username);
    expect(told).toContain(friend.user.username);
    // The stranger sees only themselves, though everyone here shares #everyone with them.
    expect(onlineSeen(strangerAgain)).toEqual(names(stranger));
    mine.stop();
    strangerAgain.stop();
    await Promise.all([me.client.close(), strangerBack.close()]);
  });

  it('follows joining and leaving a small room mid-stream', async () => {
    const me = await signUpClient(server, 'me');
    const host = await signUpClient(server, 'host');
    const room = await host.client.trpc.room.create.mutate({ name: roomName(), kind: 'channel' });
    const hostStream = online(host);
    const mine = watchEvents(me.client);
    await expect.poll(() => snapshots(mine).length).toBe(1);
    await expect.poll(() => snapshots(hostStream).length).toBe(1);
    expect(onlineSeen(mine)).toEqual(names(me));

    await me.client.trpc.room.join.mutate({ roomId: room.id });
    await expect.poll(() => onlineSeen(mine)).toEqual(names(me, host));
    await expect.poll(() => onlineSeen(hostStream)).toEqual(names(me, host));
    // The join comes before the presence it brings.
    const joinedAt = mine.items.findIndex((i) => i.data.type === 'room.joined' && i.data.roomId === room.id);
    const hostAt = mine.items.findIndex((i) => i.data.type === 'presence.changed' && i.data.user.id === host.user.id);
    expect(joinedAt).toBeGreaterThan(-1);
    expect(hostAt).toBeGreaterThan(joinedAt);

    await me.client.trpc.room.leave.mutate({ roomId: room.id });
    await expect.poll(() => onlineSeen(mine)).toEqual(names(me));
    await expect.poll(() => onlineSeen(hostStream)).toEqual(names(host));

    // A room past the limit carries no presence: three others join, then me.
    const others = [await signUpClient(server, 'o'), await signUpClient(server, 'o'), await signUpClient(server, 'o')];
    for (const o of others.slice(0, 2)) await o.client.trpc.room.join.mutate({ roomId: room.id });
    const before = mine.items.length;
    await me.client.trpc.room.join.mutate({ roomId: room.id });
    await expect.poll(() => mine.items.some((i, n) => n >= before && i.data.type === 'room.joined')).toBe(true);
    await settle();
    expect(onlineSeen(mine)).toEqual(names(me));
    await expect.poll(() => onlineSeen(hostStream)).toEqual(names(host));
    mine.stop();
    hostStream.stop();
    await Promise.all([me.client.close(), host.client.close(), ...others.map((o) => o.client.close())]);
  });

  it('lets the two members of a DM see each other', async () => {
    const a = await signUpClient(server, 'dma');
    const b = await signUpClient(server, 'dmb');
    await a.client.trpc.room.openDirect.mutate({ userId: b.user.id });
    const seenByA = watchEvents(a.client);
    await expect.poll(() => snapshots(seenByA).length).toBe(1);
    expect(onlineSeen(seenByA)).toEqual(names(a));
    const seenByB = watchEvents(b.client);
    await expect.poll(() => onlineSeen(seenByA)).toEqual(names(a, b));
    await expect.poll(() => snapshots(seenByB).length).toBe(1);
    expect(onlineSeen(seenByB)).toEqual(names(a, b));
    seenByA.stop();
    seenByB.stop();
    await Promise.all([a.client.close(), b.client.close()]);
  });

  it('keeps chat.onPresence global: every online user, small rooms or not', async () => {
    const a = await signUpClient(server, 'global');
    const b = await signUpClient(server, 'global');
    const bOnline = online(b);
    const seen: string[] = [];
    const sub = a.client.trpc.chat.onPresence.subscribe(undefined, {
      onData: (u) => {
        if (u.type === 'snapshot') seen.push(...u.users.map((x) => x.username));
        else if (u.type === 'join') seen.push(u.user.username);
      },
    });
    await expect.poll(() => seen).toContain(b.user.username);
    sub.unsubscribe();
    bOnline.stop();
    await Promise.all([a.client.close(), b.client.close()]);
  });
});

describe('presence scoping across two instances', () => {
  it('scopes the same way whichever instance each user is on', async () => {
    const { a, b, dispose } = await startTwoInstances({ adminDatabaseUrl: inject('adminDatabaseUrl'), presenceRoomMemberLimit: LIMIT });
    try {
      for (let i = 0; i < LIMIT + 1; i++) await signUpClient(a, 'filler');
      const me = await signUpClient(a, 'me');
      const friendAuth = await signUpClient(a, 'friend');
      const strangerAuth = await signUpClient(a, 'stranger');
      const friend = { ...friendAuth, client: createTestClient(b, friendAuth.token) };
      const stranger = { ...strangerAuth, client: createTestClient(b, strangerAuth.token) };
      const room = await me.client.trpc.room.create.mutate({ name: roomName(), kind: 'private' });
      await me.client.trpc.room.invite.mutate({ roomId: room.id, userId: friend.user.id });

      const mine = watchEvents(me.client);
      await expect.poll(() => snapshots(mine).length).toBe(1);
      const friendSees = watchEvents(friend.client);
      const strangerSees = watchEvents(stranger.client);
      await expect.poll(() => onlineSeen(mine)).toEqual(names(me, friend));
      await expect.poll(() => snapshots(friendSees).length).toBe(1);
      await expect.poll(() => snapshots(strangerSees).length).toBe(1);
      expect(onlineSeen(friendSees)).toEqual(names(me, friend));
      expect(onlineSeen(strangerSees)).toEqual(names(stranger));

      // The stranger (on b) is added to the small room: both sides learn of it; then they leave again.
      await me.client.trpc.room.invite.mutate({ roomId: room.id, userId: stranger.user.id });
      await expect.poll(() => onlineSeen(mine)).toEqual(names(me, friend, stranger));
      await expect.poll(() => onlineSeen(strangerSees)).toEqual(names(me, friend, stranger));
      await stranger.client.trpc.room.leave.mutate({ roomId: room.id });
      await expect.poll(() => onlineSeen(mine)).toEqual(names(me, friend));
      await expect.poll(() => onlineSeen(friendSees)).toEqual(names(me, friend));
      await expect.poll(() => onlineSeen(strangerSees)).toEqual(names(stranger));
      for (const w of [mine, friendSees, strangerSees]) w.stop();
      await Promise.all([me.client.close(), friend.client.close(), stranger.client.close()]);
    } finally {
      await dispose();
    }
  });
});
