import type { ChatEvent } from '@chat/api';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { codeOf, roomName, settle } from '../testing/rooms.test-helpers';
import { createTestClient, signUpClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/testing';

// Notification settings (docs/decisions/149): stored on the server, told to the user's other devices.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl') });
});
afterAll(async () => {
  await server?.dispose();
});

describe('notification settings', () => {
  it('start empty (every room at the default), store a level, a mute and a schedule, and read back the same', async () => {
    const { client } = await signUpClient(server, 'set');
    expect(await client.trpc.notifications.get.query()).toEqual({ rooms: [], schedule: null });
    const room = await client.trpc.room.create.mutate({ name: roomName('n'), kind: 'private' });
    const until = new Date(Date.now() + 3_600_000);
    const set = await client.trpc.notifications.setRoom.mutate({ roomId: room.id, level: 'all', mutedUntil: until.toISOString() });
    expect(set).toEqual({ roomId: room.id, level: 'all', mutedUntil: until.toISOString() });
    const schedule = { startMinute: 22 * 60, endMinute: 7 * 60, timeZone: 'America/New_York' };
    await client.trpc.notifications.setSchedule.mutate({ schedule });
    expect(await client.trpc.notifications.get.query()).toEqual({ rooms: [set], schedule });
    // A mute already over is stored as none.
    expect(await client.trpc.notifications.setRoom.mutate({ roomId: room.id, level: 'nothing', mutedUntil: new Date(Date.now() - 1000).toISOString() })).toMatchObject({ mutedUntil: null });
  });

  it('tell every device of the user the whole new settings (notifications.changed), and nobody else', async () => {
    const me = await signUpClient(server, 'dev');
    const phoneLogin = await createTestClient(server, null).trpc.auth.login.mutate({ username: me.user.username, password: me.password });
    const phone = createTestClient(server, phoneLogin.token);
    const other = await signUpClient(server, 'oth');
    const seen: ChatEvent[] = [];
    const otherSeen: ChatEvent[] = [];
    const a = phone.trpc.chat.onEvent.subscribe(undefined, { onData: (e) => seen.push(e.data) });
    const b = other.client.trpc.chat.onEvent.subscribe(undefined, { onData: (e) => otherSeen.push(e.data) });
    await settle();
    const room = await me.client.trpc.room.create.mutate({ name: roomName('n'), kind: 'channel' });
    await other.client.trpc.room.join.mutate({ roomId: room.id });
    await me.client.trpc.notifications.setRoom.mutate({ roomId: room.id, level: 'nothing' });
    await settle();
    const changes = seen.filter((e) => e.type === 'notifications.changed');
    expect(changes).toEqual([{ type: 'notifications.changed', settings: await me.client.trpc.notifications.get.query() }]);
    expect(otherSeen.filter((e) => e.type === 'notifications.changed')).toEqual([]);
    a.unsubscribe();
    b.unsubscribe();
    await phone.close();
  });

  it('refuse rooms the caller is not in as the room-access rule does, and hostile values with BAD_REQUEST', async () => {
    const owner = await signUpClient(server, 'own');
    const { client } = await signUpClient(server, 'out');
    const secret = await owner.client.trpc.room.create.mutate({ name: roomName('s'), kind: 'private' });
    const channel = await owner.client.trpc.room.create.mutate({ name: roomName('c'), kind: 'channel' });
    expect(await codeOf(() => client.trpc.notifications.setRoom.mutate({ roomId: secret.id, level: 'all' }))).toBe('NOT_FOUND');
    expect(await codeOf(() => client.trpc.notifications.setRoom.mutate({ roomId: '00000000-0000-4000-8000-00000000dead', level: 'all' }))).toBe('NOT_FOUND');
    expect(await codeOf(() => client.trpc.notifications.setRoom.mutate({ roomId: channel.id, level: 'all' }))).toBe('FORBIDDEN');
    const bad = [
      () => client.trpc.notifications.setRoom.mutate({ roomId: channel.id, level: 'loud' as 'all' }),
      () => client.trpc.notifications.setRoom.mutate({ roomId: 'not-a-uuid', level: 'all' }),
      () => client.trpc.notifications.setRoom.mutate({ roomId: channel.id, level: 'all', mutedUntil: 'tomorrow' }),
      () => client.trpc.notifications.setRoom.mutate({ roomId: channel.id, level: 'all', mutedUntil: new Date(Date.now() + 400 * 86_400_000).toISOString() }),
      () => client.trpc.notifications.setSchedule.mutate({ schedule: { startMinute: 0, endMinute: 1440, timeZone: 'UTC' } }),
      () => client.trpc.notifications.setSchedule.mutate({ schedule: { startMinute: 60, endMinute: 60, timeZone: 'UTC' } }),
      () => client.trpc.notifications.setSchedule.mutate({ schedule: { startMinute: 60, endMinute: 120, timeZone: 'Mars/Olympus_Mons' } }),
      () => client.trpc.notifications.setSchedule.mutate({ schedule: { startMinute: 60, endMinute: 120, timeZone: `Europe/${'x'.repeat(200)}` } }),
      () => client.trpc.notifications.setSchedule.mutate({ schedule: { startMinute: 1.5, endMinute: 120, timeZone: 'UTC' } }),
    ];
    for (const call of bad) expect(await codeOf(call)).toBe('BAD_REQUEST');
    expect(await client.trpc.notifications.get.query()).toEqual({ rooms: [], schedule: null });
  });

  it('forget the choice for a room the user left, and last-writer-wins under concurrent changes', async () => {
    const { client } = await signUpClient(server, 'left');
    const owner = await signUpClient(server, 'keep');
    const channel = await owner.client.trpc.room.create.mutate({ name: roomName('l'), kind: 'channel' });
    await client.trpc.room.join.mutate({ roomId: channel.id });
    await Promise.all((['all', 'nothing', 'mentions', 'all', 'nothing'] as const).map((level) => client.trpc.notifications.setRoom.mutate({ roomId: channel.id, level })));
    const after = await client.trpc.notifications.get.query();
    expect(after.rooms).toHaveLength(1);
    await client.trpc.room.leave.mutate({ roomId: channel.id });
    expect(await client.trpc.notifications.get.query()).toEqual({ rooms: [], schedule: null });
  });
});
