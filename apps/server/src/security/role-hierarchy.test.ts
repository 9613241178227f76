import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { codeOf, http, outcome, startWithOwnerAndAdmin } from '../testing/moderation.test-helpers';
import { roomName } from '../testing/rooms.test-helpers';
import { signUpClient } from '../testing/test-client';
import type { TestServer } from '../testing/testing';

// Security round 3, class 4: owner > admin > a room's creator > member on every moderator action
// (docs/decisions/110, 124), and the last-owner rule under concurrency.

type Account = Awaited<ReturnType<typeof signUpClient>>;
let server: TestServer;
let owner: Account;
let admin: Account;
const sql = <T extends object[]>(query: string, params: unknown[] = []) => server.orm.em.fork().execute<T>(query, params);

beforeAll(async () => {
  ({ server, owner, admin } = await startWithOwnerAndAdmin(inject('adminDatabaseUrl')));
}, 60_000);
afterAll(async () => {
  await Promise.all([owner, admin].map((a) => a?.client.close()));
  await server?.dispose();
});

/** A channel made by `creator`, joined by `members`. */
async function channel(creator: Account, ...members: Account[]) {
  const room = await creator.client.trpc.room.create.mutate({ name: roomName('rank'), kind: 'channel' });
  for (const m of members) await m.client.trpc.room.join.mutate({ roomId: room.id });
  return room.id;
}
const memberIds = async (reader: Account, roomId: string) => (await reader.client.trpc.room.members.query({ roomId })).map((m) => m.id);

describe('an admin acts on members only', () => {
  it('cannot delete the owner’s message nor remove the owner from the owner’s own room', async () => {
    const roomId = await channel(owner, admin);
    const said = await owner.client.trpc.chat.send.mutate({ roomId, text: 'the owner speaks' });
    expect(await outcome(admin.client.trpc.chat.delete.mutate({ messageId: said.id, reason: 'coup' }))).toEqual({
      code: 'FORBIDDEN',
      message: 'Only an owner can delete a message by an owner',
    });
    expect(await outcome(admin.client.trpc.room.remove.mutate({ roomId, userId: owner.user.id }))).toEqual({ code: 'FORBIDDEN', message: 'Only an owner can remove an owner' });
    expect((await owner.client.trpc.chat.history.query({ roomId })).messages.find((m) => m.id === said.id)).toMatchObject({ text: 'the owner speaks' });
    expect(await memberIds(owner, roomId)).toContain(owner.user.id);
    // In #everyone too, where admins and owners moderate.
    const inEveryone = await owner.client.trpc.chat.send.mutate({ text: 'owner in everyone' });
    expect(await codeOf(admin.client.trpc.chat.delete.mutate({ messageId: inEveryone.id }))).toBe('FORBIDDEN');
  });

  it('cannot delete another admin’s message or remove them; an owner can; an admin still moderates members, a room’s creator included', async () => {
    const [second, creator] = await Promise.all([signUpClient(server, 'admin2'), signUpClient(server, 'creator')]);
    await http(server, owner.token).admin.setRole.mutate({ userId: second.user.id, role: 'admin' });
    const roomId = await channel(creator, admin, second, owner);
    const bySecond = await second.client.trpc.chat.send.mutate({ roomId, text: 'admin two' });
    expect(await codeOf(admin.client.trpc.chat.delete.mutate({ messageId: bySecond.id }))).toBe('FORBIDDEN');
    expect(await outcome(admin.client.trpc.room.remove.mutate({ roomId, userId: second.user.id }))).toEqual({ code: 'FORBIDDEN', message: 'Only an owner can remove an admin' });
    expect(await owner.client.trpc.chat.delete.mutate({ messageId: bySecond.id })).toMatchObject({ deleted: { by: 'moderator' } });
    expect(await codeOf(owner.client.trpc.room.remove.mutate({ roomId, userId: second.user.id }))).toBe('OK');
    const byCreator = await creator.client.trpc.chat.send.mutate({ roomId, text: 'creator' });
    expect(await admin.client.trpc.chat.delete.mutate({ messageId: byCreator.id })).toMatchObject({ deleted: { by: 'moderator' } });
    await second.client.close();
    await creator.client.close();
  });
});

describe('a room’s creator moderates members only', () => {
  it('cannot delete an admin’s or the owner’s message in their channel, nor remove them; members they can', async () => {
    const [creator, member] = await Promise.all([signUpClient(server, 'creator'), signUpClient(server, 'member')]);
    const roomId = await channel(creator, admin, owner, member);
    const byAdmin = await admin.client.trpc.chat.send.mutate({ roomId, text: 'staff' });
    const byOwner = await owner.client.trpc.chat.send.mutate({ roomId, text: 'boss' });
    expect(await outcome(creator.client.trpc.chat.delete.mutate({ messageId: byAdmin.id }))).toEqual({ code: 'FORBIDDEN', message: 'Only an owner can delete a message by an admin' });
    expect(await codeOf(creator.client.trpc.chat.delete.mutate({ messageId: byOwner.id }))).toBe('FORBIDDEN');
    expect(await codeOf(creator.client.trpc.room.remove.mutate({ roomId, userId: admin.user.id }))).toBe('FORBIDDEN');
    expect(await codeOf(creator.client.trpc.room.remove.mutate({ roomId, userId: owner.user.id }))).toBe('FORBIDDEN');
    expect(await memberIds(creator, roomId)).toEqual(expect.arrayContaining([admin.user.id, owner.user.id]));
    const byMember = await member.client.trpc.chat.send.mutate({ roomId, text: 'member' });
    expect(await creator.client.trpc.chat.delete.mutate({ messageId: byMember.id })).toMatchObject({ deleted: { by: 'moderator' } });
    expect(await codeOf(creator.client.trpc.room.remove.mutate({ roomId, userId: member.user.id }))).toBe('OK');
    await creator.client.close();
    await member.client.close();
  });
});

describe('reports', () => {
  it('an admin cannot delete a reported message of the owner (the report stays open); dismissing it is fine', async () => {
    const reporter = await signUpClient(server, 'reporter');
    const roomId = await channel(owner, reporter);
    const said = await owner.client.trpc.chat.send.mutate({ roomId, text: 'owner’s reported words' });
    const { reportId } = await reporter.client.trpc.chat.report.mutate({ messageId: said.id, reason: 'abuse of power' });
    expect(await outcome(admin.client.trpc.admin.resolveReport.mutate({ reportId, action: 'delete' }))).toEqual({
      code: 'FORBIDDEN',
      message: 'Only an owner can delete a message by an owner',
    });
    expect((await http(server, admin.token).admin.reports.query()).reports.some((r) => r.reportId === reportId)).toBe(true);
    expect((await owner.client.trpc.chat.history.query({ roomId })).messages.find((m) => m.id === said.id)).toMatchObject({ text: 'owner’s reported words' });
    expect(await admin.client.trpc.admin.resolveReport.mutate({ reportId, action: 'dismiss' })).toEqual({ resolved: 1 });
    await reporter.client.close();
  });
});

describe('the last owner, under concurrency', () => {
  it('two owners demoting each other (or themselves) at the same moment: always one owner left, and one call refused clearly', async () => {
    const [a, b] = await Promise.all([signUpClient(server, 'ownerA'), signUpClient(server, 'ownerB')]);
    const [asA, asB] = [http(server, a.token), http(server, b.token)];
    try {
      for (let round = 0; round < 20; round++) {
        // Exactly two owners for this round: a and b (the suite's owner is put back below).
        await sql(`update users set role = case when id in (?, ?) then 'owner' else 'member' end where role <> 'member' or id in (?, ?)`, [a.user.id, b.user.id, a.user.id, b.user.id]);
        const crossed = round % 2 === 0;
        const results = await Promise.all([
          outcome(asA.admin.setRole.mutate({ userId: crossed ? b.user.id : a.user.id, role: 'admin' })),
          outcome(asB.admin.setRole.mutate({ userId: crossed ? a.user.id : b.user.id, role: 'admin' })),
        ]);
        const owners = await sql<{ id: string }[]>(`select id from users where role = 'owner'`);
        expect([round, owners.length]).toEqual([round, 1]);
        const refused = results.filter((r) => r.code !== 'OK');
        expect([round, refused]).toEqual([
          round,
          [crossed ? { code: 'FORBIDDEN', message: 'Only an owner can change roles' } : { code: 'CONFLICT', message: 'This is the only owner; make someone else owner first' }],
        ]);
      }
    } finally {
      await sql(`update users set role = case when id = ? then 'owner' when id = ? then 'admin' else 'member' end`, [owner.user.id, admin.user.id]);
      await a.client.close();
      await b.client.close();
    }
  }, 60_000);
});
