import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { codeOf, http, outcome, startWithOwnerAndAdmin, until } from '../testing/moderation.test-helpers';
import { roomName, settle, watchEvents } from '../testing/rooms.test-helpers';
import { signUpClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/testing';

// Issue 16's moderator deletes, reports and the ban's purge, on one real server through the real client.

type Account = Awaited<ReturnType<typeof signUpClient>>;
let server: TestServer;
let owner: Account;
let admin: Account;
const sql = <T extends object[]>(query: string, params: unknown[] = []) => server.orm.em.fork().execute<T>(query, params);

beforeAll(async () => {
  ({ server, owner, admin } = await startWithOwnerAndAdmin(inject('adminDatabaseUrl')));
}, 60_000);
afterAll(async () => {
  await Promise.all([owner, admin].map((a) => a.client.close()));
  await server?.dispose();
});

/** A channel made by `creator`, joined by `members`. */
async function channel(creator: Account, ...members: Account[]) {
  const room = await creator.client.trpc.room.create.mutate({ name: roomName('mod'), kind: 'channel' });
  for (const m of members) await m.client.trpc.room.join.mutate({ roomId: room.id });
  return room.id;
}

const ref = (a: Account) => ({ id: a.user.id, username: a.user.username });
const auditEntries = async (action: string) => (await http(server, owner.token).admin.auditLog.query({ limit: 100 })).entries.filter((e) => e.action === action);

describe('chat.delete by a moderator', () => {
  it('refuses a member on another’s message, a channel’s creator in another channel, an admin in a DM, and an admin outside the room', async () => {
    const [creatorA, creatorB, member] = await Promise.all([signUpClient(server), signUpClient(server), signUpClient(server)]);
    const roomA = await channel(creatorA, member, creatorB);
    const roomB = await channel(creatorB, member, creatorA);
    const inB = await member.client.trpc.chat.send.mutate({ roomId: roomB, text: 'in b' });
    const inA = await creatorB.client.trpc.chat.send.mutate({ roomId: roomA, text: 'in a' });
    const forbidden = { code: 'FORBIDDEN', message: 'You can only delete your own messages' };
    expect(await outcome(member.client.trpc.chat.delete.mutate({ messageId: inA.id }))).toEqual(forbidden);
    // creatorA moderates A only: in B (where they are a member) a message is not theirs to remove.
    expect(await outcome(creatorA.client.trpc.chat.delete.mutate({ messageId: inB.id, reason: 'not mine to judge' }))).toEqual(forbidden);
    // creatorB created B, but A's messages, even their own channel-mate's, are only A's creator's to remove.
    const byMemberInA = await member.client.trpc.chat.send.mutate({ roomId: roomA, text: 'member in a' });
    expect(await outcome(creatorB.client.trpc.chat.delete.mutate({ messageId: byMemberInA.id }))).toEqual(forbidden);
    // Nobody moderates a DM, admins included.
    const dm = await member.client.trpc.room.openDirect.mutate({ userId: admin.user.id });
    const inDm = await member.client.trpc.chat.send.mutate({ roomId: dm.id, text: 'just us' });
    expect(await outcome(admin.client.trpc.chat.delete.mutate({ messageId: inDm.id }))).toEqual(forbidden);
    // An admin must be in the room to moderate it: outside it, the message does not exist for them.
    expect(await codeOf(admin.client.trpc.chat.delete.mutate({ messageId: inB.id }))).toBe('NOT_FOUND');
    const history = await member.client.trpc.chat.history.query({ roomId: roomB });
    expect(history.messages.find((m) => m.id === inB.id)).toMatchObject({ text: 'in b' });
    expect(history.messages.find((m) => m.id === inB.id)?.deleted).toBeUndefined();
  });

  it('lets a channel’s creator remove a member’s message: gone from history and search, live as message.deleted, never replayed, audited', async () => {
    const [creator, troll, reader] = await Promise.all([signUpClient(server), signUpClient(server, 'troll'), signUpClient(server)]);
    const roomId = await channel(creator, troll, reader);
    const { cursor } = await reader.client.trpc.chat.eventCursor.query();
    const live = watchEvents(reader.client);
    await settle();
    const bad = await troll.client.trpc.chat.send.mutate({ roomId, text: 'zorblax insult' });
    const removed = await creator.client.trpc.chat.delete.mutate({ messageId: bad.id, reason: 'insults' });
    expect(removed).toMatchObject({ id: bad.id, text: '', deleted: { at: expect.any(String), by: 'moderator' } });
    // A retry changes nothing and writes no second event or audit entry.
    expect(await creator.client.trpc.chat.delete.mutate({ messageId: bad.id, reason: 'insults' })).toEqual(removed);
    await until('message.deleted', () => live.durable().some((e) => e.type === 'message.deleted'));
    expect(live.durable().filter((e) => e.type === 'message.deleted')).toEqual([
      expect.objectContaining({ type: 'message.deleted', roomId, messageId: bad.id, deleted: { at: removed.deleted!.at, by: 'moderator' } }),
    ]);
    const history = await reader.client.trpc.chat.history.query({ roomId });
    expect(history.messages.find((m) => m.id === bad.id)).toEqual(removed);
    expect((await reader.client.trpc.chat.search.query({ query: 'zorblax' })).results).toEqual([]);
    // A client resuming from before the message sees its placeholder, never its text.
    const resumed = watchEvents(reader.client, cursor);
    await until('replay', () => resumed.durable().some((e) => e.type === 'message.deleted'));
    expect(JSON.stringify(resumed.items)).not.toContain('zorblax');
    expect(resumed.durable().find((e) => e.type === 'message.created')).toMatchObject({ message: { id: bad.id, text: '', deleted: { by: 'moderator' } } });
    const [stored] = await sql<{ text: string }[]>('select text from messages where id = ?', [bad.id]);
    expect(stored!.text).toBe('');
    const entries = (await auditEntries('message.delete')).filter((e) => e.details?.messageId === bad.id);
    expect(entries).toEqual([
      expect.objectContaining({ actor: ref(creator), target: ref(troll), reason: 'insults', details: expect.objectContaining({ roomId, messageId: bad.id }) }),
    ]);
    live.stop();
    resumed.stop();
  });

  it('lets an admin who is in a channel remove anyone’s message there, and an author delete their own as before', async () => {
    const [creator, member] = await Promise.all([signUpClient(server), signUpClient(server)]);
    const roomId = await channel(creator, member, admin);
    const m = await creator.client.trpc.chat.send.mutate({ roomId, text: 'the creator’s own' });
    expect(await admin.client.trpc.chat.delete.mutate({ messageId: m.id })).toMatchObject({ deleted: { by: 'moderator' } });
    const own = await member.client.trpc.chat.send.mutate({ roomId, text: 'mine' });
    expect(await member.client.trpc.chat.delete.mutate({ messageId: own.id, reason: 'ignored for an author' })).toMatchObject({ deleted: { by: 'author' } });
    expect((await auditEntries('message.delete')).some((e) => e.details?.messageId === own.id)).toBe(false);
    // #everyone: admins and owners moderate it, members do not.
    const inEveryone = await member.client.trpc.chat.send.mutate({ text: 'hello all' });
    expect(await codeOf(creator.client.trpc.chat.delete.mutate({ messageId: inEveryone.id }))).toBe('FORBIDDEN');
    expect(await owner.client.trpc.chat.delete.mutate({ messageId: inEveryone.id, reason: 'spam' })).toMatchObject({ deleted: { by: 'moderator' } });
  });
});

describe('reports', () => {
  it('are for members of the message’s room (NOT_FOUND otherwise); a retry returns the same report', async () => {
    const [creator, reporter, outsider] = await Promise.all([signUpClient(server), signUpClient(server), signUpClient(server)]);
    const roomId = await channel(creator, reporter);
    const m = await creator.client.trpc.chat.send.mutate({ roomId, text: 'questionable' });
    const first = await reporter.client.trpc.chat.report.mutate({ messageId: m.id, reason: 'rude' });
    expect(first.reportId).toMatch(/^[1-9][0-9]*$/);
    expect(await reporter.client.trpc.chat.report.mutate({ messageId: m.id, reason: 'rude (again)' })).toEqual(first);
    expect(await outcome(outsider.client.trpc.chat.report.mutate({ messageId: m.id, reason: 'nosy' }))).toEqual({ code: 'NOT_FOUND', message: 'Message not found' });
    expect(await outcome(outsider.client.trpc.chat.report.mutate({ messageId: '999999999', reason: 'nosy' }))).toEqual({ code: 'NOT_FOUND', message: 'Message not found' });
    expect(await codeOf(creator.client.trpc.chat.report.mutate({ messageId: m.id, reason: 'self' }))).toBe('BAD_REQUEST');
    expect(await codeOf(reporter.client.trpc.chat.report.mutate({ messageId: m.id, reason: '  ' }))).toBe('BAD_REQUEST');
    const [count] = await sql<{ n: number }[]>('select count(*)::int as n from message_reports where message_id = ?', [m.id]);
    expect(count!.n).toBe(1);
  });

  it('members cannot list or resolve them; admins see the message in context and dismiss or delete, audited', async () => {
    const [creator, author, reporter, second] = await Promise.all([signUpClient(server), signUpClient(server, 'author'), signUpClient(server), signUpClient(server)]);
    const roomId = await channel(creator, author, reporter, second);
    const before = await creator.client.trpc.chat.send.mutate({ roomId, text: 'before it' });
    const bad = await author.client.trpc.chat.send.mutate({ roomId, text: 'quuxword offensive' });
    const after = await creator.client.trpc.chat.send.mutate({ roomId, text: 'after it' });
    const fine = await author.client.trpc.chat.send.mutate({ roomId, text: 'perfectly fine' });
    const r1 = await reporter.client.trpc.chat.report.mutate({ messageId: bad.id, reason: 'offensive' });
    await second.client.trpc.chat.report.mutate({ messageId: bad.id, reason: 'me too' });
    const r3 = await reporter.client.trpc.chat.report.mutate({ messageId: fine.id, reason: 'I disagree' });

    expect(await outcome(reporter.client.trpc.admin.reports.query())).toEqual({ code: 'FORBIDDEN', message: 'Only admins and owners can do this' });
    expect(await codeOf(creator.client.trpc.admin.resolveReport.mutate({ reportId: r1.reportId, action: 'delete' }))).toBe('FORBIDDEN');

    // The admin is not in the room: the reporters brought the message to them.
    const { reports } = await admin.client.trpc.admin.reports.query();
    const item = reports.find((r) => r.message.id === bad.id)!;
    expect(item).toMatchObject({
      reportId: r1.reportId,
      message: { id: bad.id, text: 'quuxword offensive', author: ref(author) },
      room: { id: roomId, kind: 'channel' },
      reports: [
        { reporter: ref(reporter), reason: 'offensive' },
        { reporter: ref(second), reason: 'me too' },
      ],
    });
    expect(item.context.before.at(-1)).toMatchObject({ id: before.id });
    expect(item.context.after.map((m) => m.id)).toEqual([after.id, fine.id]);

    const live = watchEvents(creator.client);
    await settle();
    expect(await admin.client.trpc.admin.resolveReport.mutate({ reportId: r1.reportId, action: 'delete' })).toEqual({ resolved: 2 });
    await until('message.deleted', () => live.durable().some((e) => e.type === 'message.deleted' && e.messageId === bad.id));
    expect((await creator.client.trpc.chat.history.query({ roomId })).messages.find((m) => m.id === bad.id)).toMatchObject({ text: '', deleted: { by: 'moderator' } });
    expect((await creator.client.trpc.chat.search.query({ query: 'quuxword' })).results).toEqual([]);
    expect(await admin.client.trpc.admin.resolveReport.mutate({ reportId: r3.reportId, action: 'dismiss' })).toEqual({ resolved: 1 });
    expect((await creator.client.trpc.chat.history.query({ roomId })).messages.find((m) => m.id === fine.id)).toMatchObject({ text: 'perfectly fine' });
    // Resolved reports leave the list; resolving again is NOT_FOUND.
    const open = (await admin.client.trpc.admin.reports.query()).reports.map((r) => r.message.id);
    expect(open).not.toContain(bad.id);
    expect(open).not.toContain(fine.id);
    expect(await codeOf(admin.client.trpc.admin.resolveReport.mutate({ reportId: r1.reportId, action: 'dismiss' }))).toBe('NOT_FOUND');
    // A resolved report does not stop a new one.
    expect((await reporter.client.trpc.chat.report.mutate({ messageId: fine.id, reason: 'still' })).reportId).not.toBe(r3.reportId);

    expect((await auditEntries('report.delete')).find((e) => e.details?.messageId === bad.id)).toMatchObject({ actor: ref(admin), target: ref(author), details: { reports: 2 } });
    expect((await auditEntries('report.dismiss')).find((e) => e.details?.messageId === fine.id)).toMatchObject({ actor: ref(admin), target: ref(author) });
    // One action, one entry: the report's deletion is not audited again as a message.delete.
    const ofBad = (await http(server, owner.token).admin.auditLog.query({ limit: 100 })).entries.filter((e) => e.details?.messageId === bad.id);
    expect(ofBad).toEqual([expect.objectContaining({ action: 'report.delete', details: expect.objectContaining({ reportId: r1.reportId, roomId, reports: 2 }) })]);
    live.stop();
  });
});

describe('admin.ban with purge', () => {
  it('deletes every message of the banned user as a moderator would, with events; without purge they stay', async () => {
    const [creator, spammer, kept] = await Promise.all([signUpClient(server), signUpClient(server, 'spam'), signUpClient(server, 'kept')]);
    const roomId = await channel(creator, spammer, kept);
    const live = watchEvents(creator.client);
    await settle();
    const sent = [
      await spammer.client.trpc.chat.send.mutate({ roomId, text: 'buy glorpcoin' }),
      await spammer.client.trpc.chat.send.mutate({ text: 'glorpcoin in everyone' }),
      await spammer.client.trpc.chat.send.mutate({ roomId, text: `glorpcoin @${creator.user.username}` }),
    ];
    const staying = await kept.client.trpc.chat.send.mutate({ roomId, text: 'I stay' });
    await http(server, admin.token).admin.ban.mutate({ userId: spammer.user.id, reason: 'spam', purge: true });
    await http(server, admin.token).admin.ban.mutate({ userId: kept.user.id, reason: 'no purge' });
    // #everyone's delete reaches the creator too: everyone is in #everyone.
    await until('three message.deleted', () => live.durable().filter((e) => e.type === 'message.deleted').length === 3);
    const deleted = live.durable().flatMap((e) => (e.type === 'message.deleted' ? [[e.messageId, e.deleted.by]] : []));
    expect(deleted).toEqual(sent.map((m) => [m.id, 'moderator']));
    const rows = await sql<{ id: string; text: string; deleted_by: string | null }[]>('select id::text as id, text, deleted_by from messages m where m.author_id in (?, ?) order by m.id', [spammer.user.id, kept.user.id]);
    expect(rows).toEqual([
      ...sent.map((m) => ({ id: m.id, text: '', deleted_by: 'moderator' })),
      { id: staying.id, text: 'I stay', deleted_by: null },
    ]);
    expect((await creator.client.trpc.chat.search.query({ query: 'glorpcoin' })).results).toEqual([]);
    const ban = (await auditEntries('ban')).find((e) => e.target?.id === spammer.user.id);
    expect(ban).toMatchObject({ actor: ref(admin), reason: 'spam', details: { purgedMessages: 3 } });
    live.stop();
  });
});

describe('chat.report under the message rate limit', () => {
  let strict: TestServer;
  beforeAll(async () => {
    strict = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), rateLimits: { messagesPerUser: { points: 2, duration: 60, burst: 1, burstDuration: 60 } } });
  });
  afterAll(() => strict?.dispose());

  it('costs a point of the reporter’s message limit: a flood of reports is TOO_MANY_REQUESTS', async () => {
    const [a, b, reporter] = await Promise.all([signUpClient(strict), signUpClient(strict), signUpClient(strict)]);
    const messages = [
      await a.client.trpc.chat.send.mutate({ text: 'one' }),
      await a.client.trpc.chat.send.mutate({ text: 'two' }),
      await b.client.trpc.chat.send.mutate({ text: 'three' }),
      await b.client.trpc.chat.send.mutate({ text: 'four' }),
    ];
    const outcomes = [];
    for (const m of messages) outcomes.push(await codeOf(reporter.client.trpc.chat.report.mutate({ messageId: m.id, reason: 'flood' })));
    expect(outcomes).toEqual(['OK', 'OK', 'OK', 'TOO_MANY_REQUESTS']);
    await Promise.all([a, b, reporter].map((x) => x.client.close()));
  });
});
