import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { codeOf, settle, watchEvents } from '../testing/rooms.test-helpers';
import { signUpClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/testing';

// Group DMs (issue 25, docs/decisions/153-group-dms.md) through the real server and client.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), rateLimits: { groupDmsPerUser: { points: 3, duration: 3600 } } });
});
afterAll(() => server?.dispose());

const people = (n: number) => Promise.all(Array.from({ length: n }, () => signUpClient(server, 'grp')));

describe('room.openGroup', () => {
  it('makes a group DM of three, named by the other members for each, listed as a private room with `group`', async () => {
    const [ann, bob, cy] = await people(3);
    const room = await ann!.client.trpc.room.openGroup.mutate({ userIds: [bob!.user.id, cy!.user.id] });
    expect(room).toMatchObject({ kind: 'private', createdBy: null, memberCount: 3, peer: null, topic: null });
    expect(room.name.split(', ').sort()).toEqual([bob!.user.username, cy!.user.username].sort());
    expect(room.group?.members.map((m) => m.id).sort()).toEqual([ann!.user.id, bob!.user.id, cy!.user.id].sort());
    const forBob = (await bob!.client.trpc.room.list.query()).find((r) => r.id === room.id);
    expect(forBob?.name).not.toContain(bob!.user.username);
    expect(forBob?.name).toContain(ann!.user.username);
    expect(forBob?.group).toBeDefined();
    // Everyone in it sends and reads, as in a DM.
    await cy!.client.trpc.chat.send.mutate({ roomId: room.id, text: 'hi all' });
    const history = await bob!.client.trpc.chat.history.query({ roomId: room.id });
    expect(history.messages.map((m) => m.text)).toEqual(['hi all']);
  });

  it('returns the same room for the same people, whoever opens it and in any order', async () => {
    const [ann, bob, cy] = await people(3);
    const first = await ann!.client.trpc.room.openGroup.mutate({ userIds: [bob!.user.id, cy!.user.id] });
    const again = await cy!.client.trpc.room.openGroup.mutate({ userIds: [bob!.user.id, ann!.user.id, bob!.user.id] });
    expect(again.id).toBe(first.id);
    expect(again.memberCount).toBe(3);
  });

  it('gives one room to openers racing for the same people', async () => {
    const [ann, bob, cy, dan] = await people(4);
    const opened = await Promise.all([
      ann!.client.trpc.room.openGroup.mutate({ userIds: [bob!.user.id, cy!.user.id, dan!.user.id] }),
      bob!.client.trpc.room.openGroup.mutate({ userIds: [dan!.user.id, ann!.user.id, cy!.user.id] }),
      cy!.client.trpc.room.openGroup.mutate({ userIds: [ann!.user.id, bob!.user.id, dan!.user.id] }),
      dan!.client.trpc.room.openGroup.mutate({ userIds: [cy!.user.id, bob!.user.id, ann!.user.id] }),
    ]);
    expect(new Set(opened.map((r) => r.id)).size).toBe(1);
    expect((await ann!.client.trpc.room.members.query({ roomId: opened[0]!.id })).length).toBe(4);
  });

  it('refuses fewer than two others, more than seven, oneself only, and unknown people', async () => {
    const [ann, bob] = await people(2);
    const many = await people(8);
    expect(await codeOf(() => ann!.client.trpc.room.openGroup.mutate({ userIds: [bob!.user.id] }))).toBe('BAD_REQUEST');
    expect(await codeOf(() => ann!.client.trpc.room.openGroup.mutate({ userIds: [bob!.user.id, ann!.user.id] }))).toBe('BAD_REQUEST');
    expect(await codeOf(() => ann!.client.trpc.room.openGroup.mutate({ userIds: many.map((p) => p.user.id) }))).toBe('BAD_REQUEST');
    expect(await codeOf(() => ann!.client.trpc.room.openGroup.mutate({ userIds: [bob!.user.id, '00000000-0000-4000-8000-00000000dead'] }))).toBe('NOT_FOUND');
    expect(await codeOf(() => ann!.client.trpc.room.openGroup.mutate({ userIds: ['not-a-uuid', bob!.user.id] } as never))).toBe('BAD_REQUEST');
  });

  it('stops a user making group after group (reopening stays free of that limit)', async () => {
    const [spammer] = await people(1);
    const targets = await people(8);
    const opened = [];
    for (let i = 0; i < 3; i++) opened.push(await spammer!.client.trpc.room.openGroup.mutate({ userIds: [targets[2 * i]!.user.id, targets[2 * i + 1]!.user.id] }));
    expect(await codeOf(() => spammer!.client.trpc.room.openGroup.mutate({ userIds: [targets[6]!.user.id, targets[7]!.user.id] }))).toBe('TOO_MANY_REQUESTS');
    // Refused before anything was written: the two have no group in their lists.
    expect((await targets[6]!.client.trpc.room.list.query()).some((r) => r.group)).toBe(false);
    // An existing group still opens.
    expect((await spammer!.client.trpc.room.openGroup.mutate({ userIds: [targets[0]!.user.id, targets[1]!.user.id] })).id).toBe(opened[0]!.id);
  });
});

describe('muted and banned users', () => {
  const sql = (text: string, params: unknown[]) => server.orm.em.fork().execute(text, params);

  it('a muted user reopens a group but makes none, converts none and pins nothing', async () => {
    const [muted, bob, cy, dan] = await people(4);
    const existing = await muted!.client.trpc.room.openGroup.mutate({ userIds: [bob!.user.id, cy!.user.id] });
    const sent = await bob!.client.trpc.chat.send.mutate({ roomId: existing.id, text: 'pin this' });
    await sql(`update users set muted_until = now() + interval '1 hour' where id = ?`, [muted!.user.id]);
    expect(await codeOf(() => muted!.client.trpc.room.openGroup.mutate({ userIds: [bob!.user.id, dan!.user.id] }))).toBe('FORBIDDEN');
    expect((await muted!.client.trpc.room.openGroup.mutate({ userIds: [cy!.user.id, bob!.user.id] })).id).toBe(existing.id);
    expect(await codeOf(() => muted!.client.trpc.chat.pin.mutate({ messageId: sent.id }))).toBe('FORBIDDEN');
    expect(await codeOf(() => muted!.client.trpc.room.convertGroup.mutate({ roomId: existing.id, name: 'muted-room' }))).toBe('FORBIDDEN');
    expect((await dan!.client.trpc.room.list.query()).some((r) => r.group)).toBe(false);
  });

  it('a banned account cannot be put in a group', async () => {
    const [ann, bob, banned] = await people(3);
    await sql('update users set banned_at = now() where id = ?', [banned!.user.id]);
    expect(await codeOf(() => ann!.client.trpc.room.openGroup.mutate({ userIds: [bob!.user.id, banned!.user.id] }))).toBe('NOT_FOUND');
    const room = await ann!.client.trpc.room.openGroup.mutate({ userIds: [bob!.user.id, (await signUpClient(server, 'grp')).user.id] });
    expect(await codeOf(() => ann!.client.trpc.room.invite.mutate({ roomId: room.id, userId: banned!.user.id }))).toBe('NOT_FOUND');
  });
});

describe('a group DM’s members', () => {
  it('are the only ones who see it: a non-member is told it does not exist', async () => {
    const [ann, bob, cy, eve] = await people(4);
    const room = await ann!.client.trpc.room.openGroup.mutate({ userIds: [bob!.user.id, cy!.user.id] });
    expect(await codeOf(() => eve!.client.trpc.chat.history.query({ roomId: room.id }))).toBe('NOT_FOUND');
    expect(await codeOf(() => eve!.client.trpc.chat.send.mutate({ roomId: room.id, text: 'let me in' }))).toBe('NOT_FOUND');
    expect(await codeOf(() => eve!.client.trpc.room.join.mutate({ roomId: room.id }))).toBe('NOT_FOUND');
    expect(await codeOf(() => eve!.client.trpc.room.members.query({ roomId: room.id }))).toBe('NOT_FOUND');
    expect(await codeOf(() => eve!.client.trpc.room.invite.mutate({ roomId: room.id, userId: eve!.user.id }))).toBe('NOT_FOUND');
    expect(await codeOf(() => eve!.client.trpc.chat.pins.query({ roomId: room.id }))).toBe('NOT_FOUND');
  });

  it('add people up to eight in all; the name follows; nobody is removed, anyone leaves', async () => {
    const [ann, bob, cy] = await people(3);
    const more = await people(6);
    const room = await ann!.client.trpc.room.openGroup.mutate({ userIds: [bob!.user.id, cy!.user.id] });
    const bobEvents = watchEvents(bob!.client);
    await settle();
    for (const p of more.slice(0, 5)) await cy!.client.trpc.room.invite.mutate({ roomId: room.id, userId: p.user.id });
    expect((await ann!.client.trpc.room.list.query()).find((r) => r.id === room.id)?.memberCount).toBe(8);
    expect(await codeOf(() => bob!.client.trpc.room.invite.mutate({ roomId: room.id, userId: more[5]!.user.id }))).toBe('BAD_REQUEST');
    expect(await codeOf(() => ann!.client.trpc.room.remove.mutate({ roomId: room.id, userId: bob!.user.id }))).toBe('BAD_REQUEST');
    expect(await codeOf(() => ann!.client.trpc.room.update.mutate({ roomId: room.id, name: 'renamed' }))).toBe('BAD_REQUEST');

    await cy!.client.trpc.room.leave.mutate({ roomId: room.id });
    // Bob's stream renames the group without cy (room.updated after cy's room.left).
    await expect
      .poll(() => bobEvents.durable().some((e) => e.type === 'room.updated' && e.roomId === room.id && !e.room.name.includes(cy!.user.username)), { timeout: 10_000 })
      .toBe(true);
    const forBob = (await bob!.client.trpc.room.list.query()).find((r) => r.id === room.id);
    expect(forBob?.memberCount).toBe(7);
    expect(forBob?.name).not.toContain(cy!.user.username);
    expect(forBob?.name).toContain(more[0]!.user.username);
    bobEvents.stop();
  });

  it('a group whose people changed is no longer what opening the old set returns', async () => {
    const [ann, bob, cy, dan] = await people(4);
    const first = await ann!.client.trpc.room.openGroup.mutate({ userIds: [bob!.user.id, cy!.user.id] });
    await ann!.client.trpc.room.invite.mutate({ roomId: first.id, userId: dan!.user.id });
    const second = await ann!.client.trpc.room.openGroup.mutate({ userIds: [bob!.user.id, cy!.user.id] });
    expect(second.id).not.toBe(first.id);
    // …and the set of four finds the first one.
    expect((await bob!.client.trpc.room.openGroup.mutate({ userIds: [ann!.user.id, cy!.user.id, dan!.user.id] })).id).toBe(first.id);
  });
});

describe('room.convertGroup', () => {
  it('turns a group DM into a private room named by a member, keeping history, members, reads and pins, and tells everyone', async () => {
    const [ann, bob, cy, dan] = await people(4);
    const room = await ann!.client.trpc.room.openGroup.mutate({ userIds: [bob!.user.id, cy!.user.id] });
    const sent = await bob!.client.trpc.chat.send.mutate({ roomId: room.id, text: 'before the name' });
    await cy!.client.trpc.room.markRead.mutate({ roomId: room.id, messageId: sent.id });
    await cy!.client.trpc.chat.pin.mutate({ messageId: sent.id });
    const cyEvents = watchEvents(cy!.client);
    await settle();

    const converted = await bob!.client.trpc.room.convertGroup.mutate({ roomId: room.id, name: 'plans' });
    expect(converted).toMatchObject({ id: room.id, kind: 'private', name: 'plans', createdBy: bob!.user.id, memberCount: 3 });
    expect(converted.group).toBeUndefined();
    await expect.poll(() => cyEvents.durable().some((e) => e.type === 'room.updated' && e.room.name === 'plans' && e.room.group === undefined), { timeout: 10_000 }).toBe(true);
    const forCy = (await cy!.client.trpc.room.list.query()).find((r) => r.id === room.id);
    expect(forCy).toMatchObject({ name: 'plans', kind: 'private', lastReadMessageId: sent.id, unread: 0 });
    expect(forCy?.group).toBeUndefined();
    expect((await cy!.client.trpc.chat.history.query({ roomId: room.id })).messages.map((m) => m.id)).toEqual([sent.id]);
    expect((await cy!.client.trpc.chat.pins.query({ roomId: room.id })).map((p) => p.message.id)).toEqual([sent.id]);

    // A private room now: invites past nothing special, its creator renames, a group again it is not.
    await ann!.client.trpc.room.invite.mutate({ roomId: room.id, userId: dan!.user.id });
    expect((await dan!.client.trpc.room.list.query()).find((r) => r.id === room.id)?.name).toBe('plans');
    await bob!.client.trpc.room.update.mutate({ roomId: room.id, name: 'plans-2' });
    expect(await codeOf(() => ann!.client.trpc.room.convertGroup.mutate({ roomId: room.id, name: 'again' }))).toBe('BAD_REQUEST');
    cyEvents.stop();
  });

  it('refuses a bad name, a channel, and a non-member', async () => {
    const [ann, bob, cy, eve] = await people(4);
    const room = await ann!.client.trpc.room.openGroup.mutate({ userIds: [bob!.user.id, cy!.user.id] });
    expect(await codeOf(() => ann!.client.trpc.room.convertGroup.mutate({ roomId: room.id, name: '<script>' }))).toBe('BAD_REQUEST');
    expect(await codeOf(() => ann!.client.trpc.room.convertGroup.mutate({ roomId: room.id, name: 'x'.repeat(500) }))).toBe('BAD_REQUEST');
    expect(await codeOf(() => eve!.client.trpc.room.convertGroup.mutate({ roomId: room.id, name: 'mine' }))).toBe('NOT_FOUND');
    expect(await codeOf(() => ann!.client.trpc.room.convertGroup.mutate({ roomId: '00000000-0000-4000-8000-000000000001', name: 'mine' }))).toBe('BAD_REQUEST');
  });
});
