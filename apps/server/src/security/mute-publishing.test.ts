import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { codeOf, http, outcome, runUserRole } from '../testing/moderation.test-helpers';
import { roomName } from '../testing/rooms.test-helpers';
import { signUpClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/testing';

// Security round 3, class 3: a mute stops every way of putting one's text in front of others
// (docs/decisions/124-mute-covers-every-publication.md), not only chat.send.

type Account = Awaited<ReturnType<typeof signUpClient>>;
let server: TestServer;
let owner: Account;
const sql = <T extends object[]>(query: string, params: unknown[] = []) => server.orm.em.fork().execute<T>(query, params);
const MUTED = /^A moderator muted you until \d{4}-\d\d-\d\d \d\d:\d\d UTC \(\d+ min left\): you can read but not send$/;

beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl') });
  owner = await signUpClient(server, 'owner');
  expect((await runUserRole(server.databaseUrl, owner.user.username, 'owner')).code).toBe(0);
}, 60_000);
afterAll(async () => {
  await owner?.client.close();
  await server?.dispose();
});

const mute = (who: Account, minutes: number) => http(server, owner.token).admin.mute.mutate({ userId: who.user.id, minutes });
const expectMuted = async (call: Promise<unknown>) => {
  const refused = await outcome(call);
  expect(refused.code).toBe('FORBIDDEN');
  expect(refused.message).toMatch(MUTED);
};

describe('a muted user', () => {
  it('cannot create a room: nothing is listed in Browse channels', async () => {
    const [scammer, reader] = await Promise.all([signUpClient(server, 'scam'), signUpClient(server)]);
    await mute(scammer, 10);
    const name = roomName('free-crypto');
    await expectMuted(scammer.client.trpc.room.create.mutate({ kind: 'channel', name, topic: 'send 1 BTC to get 2 back' }));
    await expectMuted(scammer.client.trpc.room.create.mutate({ kind: 'private', name: roomName('dm-me') }));
    expect(await reader.client.trpc.room.browse.query({ query: 'free-crypto' })).toEqual([]);
    const [made] = await sql<{ n: number }[]>('select count(*)::int as n from rooms where created_by_id = ?', [scammer.user.id]);
    expect(made!.n).toBe(0);
    await mute(scammer, 0);
    expect(await codeOf(scammer.client.trpc.room.create.mutate({ kind: 'channel', name }))).toBe('OK');
    await Promise.all([scammer, reader].map((a) => a.client.close()));
  });

  it('cannot rename their room or change its topic, which every member would receive', async () => {
    const [creator, member] = await Promise.all([signUpClient(server), signUpClient(server)]);
    const room = await creator.client.trpc.room.create.mutate({ kind: 'channel', name: roomName('quiet'), topic: 'calm' });
    await member.client.trpc.room.join.mutate({ roomId: room.id });
    await mute(creator, 10);
    await expectMuted(creator.client.trpc.room.update.mutate({ roomId: room.id, topic: 'visit scam.example' }));
    await expectMuted(creator.client.trpc.room.update.mutate({ roomId: room.id, name: roomName('scam-example') }));
    const seen = (await member.client.trpc.room.list.query()).find((r) => r.id === room.id)!;
    expect({ name: seen.name, topic: seen.topic }).toEqual({ name: room.name, topic: 'calm' });
    await Promise.all([creator, member].map((a) => a.client.close()));
  });

  it('cannot add people to a room (its name would reach them as a message)', async () => {
    const [inviter, victim] = await Promise.all([signUpClient(server), signUpClient(server)]);
    const room = await inviter.client.trpc.room.create.mutate({ kind: 'private', name: roomName('you-won-a-prize') });
    await mute(inviter, 10);
    await expectMuted(inviter.client.trpc.room.invite.mutate({ roomId: room.id, userId: victim.user.id }));
    expect((await victim.client.trpc.room.list.query()).some((r) => r.id === room.id)).toBe(false);
    await inviter.client.close();
    await victim.client.close();
  });

  it('cannot open a new direct message, but can still open one that exists (it writes nothing)', async () => {
    const [muted, friend, stranger] = await Promise.all([signUpClient(server), signUpClient(server), signUpClient(server)]);
    const dm = await muted.client.trpc.room.openDirect.mutate({ userId: friend.user.id });
    await mute(muted, 10);
    await expectMuted(muted.client.trpc.room.openDirect.mutate({ userId: stranger.user.id }));
    expect((await stranger.client.trpc.room.list.query()).some((r) => r.kind === 'dm')).toBe(false);
    expect(await muted.client.trpc.room.openDirect.mutate({ userId: friend.user.id })).toEqual(dm);
    // The stranger may still write to them: the mute limits what the muted user says, not what they read.
    expect(await codeOf(stranger.client.trpc.room.openDirect.mutate({ userId: muted.user.id }))).toBe('OK');
    await Promise.all([muted, friend, stranger].map((a) => a.client.close()));
  });

  it('still reads, joins, leaves, marks read and reports (the report goes to admins only)', async () => {
    const [muted, author] = await Promise.all([signUpClient(server), signUpClient(server)]);
    const room = await author.client.trpc.room.create.mutate({ kind: 'channel', name: roomName('open') });
    const message = await author.client.trpc.chat.send.mutate({ roomId: room.id, text: 'harassing the muted user' });
    await mute(muted, 10);
    expect(await codeOf(muted.client.trpc.room.join.mutate({ roomId: room.id }))).toBe('OK');
    expect(await codeOf(muted.client.trpc.room.markRead.mutate({ roomId: room.id, messageId: message.id }))).toBe('OK');
    expect(await codeOf(muted.client.trpc.chat.report.mutate({ messageId: message.id, reason: 'harassment' }))).toBe('OK');
    expect(await codeOf(muted.client.trpc.room.leave.mutate({ roomId: room.id }))).toBe('OK');
    await Promise.all([muted, author].map((a) => a.client.close()));
  });

  it('is still answered for a send that went through before the mute (an outbox retrying a lost answer), but sends nothing new', async () => {
    const muted = await signUpClient(server);
    const sent = await muted.client.trpc.chat.send.mutate({ text: 'said before the mute', clientMessageId: 'before-mute' });
    await mute(muted, 10);
    expect(await muted.client.trpc.chat.send.mutate({ text: 'said before the mute', clientMessageId: 'before-mute' })).toEqual(sent);
    await expectMuted(muted.client.trpc.chat.send.mutate({ text: 'new', clientMessageId: 'after-mute' }));
    const [stored] = await sql<{ n: number }[]>('select count(*)::int as n from messages where author_id = ?', [muted.user.id]);
    expect(stored!.n).toBe(1);
    await muted.client.close();
  });
});
