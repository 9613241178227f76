import { DEFAULT_RATE_LIMITS, type LimitKind } from '@chat/api';
import { EVERYONE_ROOM_ID } from '@chat/db';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { roomName } from '../testing/rooms.test-helpers';
import { http, outcome } from '../testing/moderation.test-helpers';
import { signUpClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/testing';

// Issue "Security, round 3", class 2: every mutation that persists or fans out is charged to a limit
// before it writes, so a flood is refused with TOO_MANY_REQUESTS and a refused call wrote nothing
// (checked in PostgreSQL, not through the API). SECURITY.md's Limits table names each limit.

type Account = Awaited<ReturnType<typeof signUpClient>>;

/** Small on purpose: a flood of a few dozen calls crosses every limit. */
const SMALL = {
  roomWritesPerUser: { points: 5, duration: 60 },
  membershipChangesPerUser: { points: 4, duration: 3600 },
  readMarksPerUser: { points: 5, duration: 60 },
  adminActionsPerUser: { points: 5, duration: 60 },
  tokenRefreshesPerUser: { points: 5, duration: 60 },
  // 12 a minute: above what any other test here sends as one user (the busy session: 10 each).
  messagesPerUser: { points: 12, duration: 60, burst: 0, burstDuration: 60 },
};

const sql = <T extends object[]>(server: TestServer, query: string, params: unknown[] = []) => server.orm.em.fork().execute<T>(query, params);
const one = async <T extends object>(server: TestServer, query: string, params: unknown[] = []) => (await sql<T[]>(server, query, params))[0]!;
const count = async (server: TestServer, query: string, params: unknown[] = []) => Number((await sql<{ n: number }[]>(server, `select count(*)::int as n from ${query}`, params))[0]!.n);
/** The outcome codes of calls made one after another, as a flood from one client arrives. */
async function codesInTurn(calls: (() => Promise<unknown>)[]): Promise<string[]> {
  const codes: string[] = [];
  for (const call of calls) codes.push((await outcome(call())).code);
  return codes;
}
/** One after another: parallel sign-ups queue for argon2, and on a loaded machine the queue's wait runs out. */
async function signUpMany(server: TestServer, n: number, prefix: string): Promise<Account[]> {
  const accounts: Account[] = [];
  for (let i = 0; i < n; i++) accounts.push(await signUpClient(server, prefix));
  return accounts;
}
const tally = (codes: string[]) => codes.reduce<Record<string, number>>((t, c) => ({ ...t, [c]: (t[c] ?? 0) + 1 }), {});

describe.each([
  ['in memory', undefined],
  ['in Redis', process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'],
])('write floods are refused before they write (limits %s)', (_store, redisUrl) => {
  let server: TestServer;
  let pool: Account[];
  /** What the metrics counter (chat_rate_limit_refusals_total, by kind) is told, as main.ts wires it. */
  const refusedKinds = new Set<LimitKind>();
  beforeAll(async () => {
    server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), rateLimits: SMALL, ...(redisUrl ? { redisUrl } : {}) });
    server.deps.limits.onRefused((kind) => refusedKinds.add(kind));
    pool = await signUpMany(server, 8, 'pool');
  }, 60_000);
  afterAll(async () => {
    await Promise.all(pool.map((a) => a.client.close()));
    await server?.dispose();
  });
  const fresh = () => signUpClient(server, 'flood');

  it('join/leave churn on a big channel: refused after the membership limit, no event or row for the refused calls, other users unaffected', async () => {
    const [owner, mallory, bob] = await Promise.all([fresh(), fresh(), fresh()]);
    const room = await owner.client.trpc.room.create.mutate({ name: roomName('big'), kind: 'channel' });
    await Promise.all(pool.map((a) => a.client.trpc.room.join.mutate({ roomId: room.id })));
    const calls = Array.from({ length: 40 }, (_, i) => () => (i % 2 === 0 ? mallory.client.trpc.room.join.mutate({ roomId: room.id }) : mallory.client.trpc.room.leave.mutate({ roomId: room.id })));
    const codes = await codesInTurn(calls);
    // Four membership changes (two pairs) went through; every later join was refused, and a leave
    // of a room already left changes nothing (it is answered without a write).
    expect(codes.slice(0, 4)).toEqual(['OK', 'OK', 'OK', 'OK']);
    expect(codes.filter((_, i) => i >= 4 && i % 2 === 0).every((c) => c === 'TOO_MANY_REQUESTS')).toBe(true);
    const refusal = await outcome(mallory.client.trpc.room.join.mutate({ roomId: room.id }));
    expect(refusal.message).toMatch(/try again in \d+ s/);
    expect(await count(server, `events where room_id = ? and user_id = ? and type in ('room.joined', 'room.left')`, [room.id, mallory.user.id])).toBe(4);
    expect(await count(server, 'room_members where room_id = ? and user_id = ?', [room.id, mallory.user.id])).toBe(2);
    // A join refused by the membership limit gave its room write back: Mallory still has one.
    expect((await outcome(mallory.client.trpc.room.create.mutate({ name: roomName('after'), kind: 'channel' }))).code).toBe('OK');
    // Bob's budget is his own.
    expect(await codesInTurn([() => bob.client.trpc.room.join.mutate({ roomId: room.id }), () => bob.client.trpc.room.leave.mutate({ roomId: room.id })])).toEqual(['OK', 'OK']);
    await Promise.all([owner, mallory, bob].map((a) => a.client.close()));
  });

  it('room.update: 30 topic changes in a second, refused after the room-writes limit; the topic is the last accepted one', async () => {
    const [creator, other] = await Promise.all([fresh(), fresh()]);
    const room = await creator.client.trpc.room.create.mutate({ name: roomName('topic'), kind: 'channel' });
    const codes = await Promise.all(Array.from({ length: 30 }, (_, i) => outcome(creator.client.trpc.room.update.mutate({ roomId: room.id, topic: `topic ${i}` }))).map((p) => p.then((o) => o.code)));
    // One write was the create: four updates remain in the budget.
    expect(tally(codes)).toEqual({ OK: 4, TOO_MANY_REQUESTS: 26 });
    expect(await count(server, `events where room_id = ? and type = 'room.updated'`, [room.id])).toBe(4);
    const accepted = codes.flatMap((c, i) => (c === 'OK' ? [`topic ${i}`] : []));
    const { topic } = await one<{ topic: string }>(server, 'select topic from rooms where id = ?', [room.id]);
    expect(accepted).toContain(topic);
    const theirs = await other.client.trpc.room.create.mutate({ name: roomName('other'), kind: 'channel' });
    expect((await outcome(other.client.trpc.room.update.mutate({ roomId: theirs.id, topic: 'fine' }))).code).toBe('OK');
    await Promise.all([creator, other].map((a) => a.client.close()));
  });

  it('room.openDirect: a refused call makes no DM (no room, no member, no event)', async () => {
    const mallory = await fresh();
    const codes = await codesInTurn(pool.map((target) => () => mallory.client.trpc.room.openDirect.mutate({ userId: target.user.id })));
    expect(codes).toEqual(['OK', 'OK', 'OK', 'OK', 'OK', 'TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS']);
    const dms = `rooms where kind = 'dm' and dm_key like ?`;
    expect(await count(server, dms, [`%${mallory.user.id}%`])).toBe(5);
    for (const refused of pool.slice(5)) {
      const key = [mallory.user.id, refused.user.id].sort().join(':');
      expect(await count(server, 'rooms where dm_key = ?', [key])).toBe(0);
      expect(await count(server, `events where type = 'room.joined' and user_id = ? and actor_id = ?`, [refused.user.id, mallory.user.id])).toBe(0);
    }
    // The targets' own budgets are untouched: one of them opens the DM Mallory could not.
    expect((await outcome(pool[7]!.client.trpc.room.openDirect.mutate({ userId: mallory.user.id }))).code).toBe('OK');
    await mallory.client.close();
  });

  it('room.create and room.invite share the room-writes budget; refused ones leave no room and no member', async () => {
    const creator = await fresh();
    const codes = await codesInTurn(Array.from({ length: 8 }, (_, i) => () => creator.client.trpc.room.create.mutate({ name: roomName(`c${i}`), kind: 'private' })));
    expect(tally(codes)).toEqual({ OK: 5, TOO_MANY_REQUESTS: 3 });
    expect(await count(server, 'rooms where created_by_id = ?', [creator.user.id])).toBe(5);

    const inviter = await fresh();
    const room = await inviter.client.trpc.room.create.mutate({ name: roomName('inv'), kind: 'private' });
    const invites = await codesInTurn(pool.map((target) => () => inviter.client.trpc.room.invite.mutate({ roomId: room.id, userId: target.user.id })));
    expect(tally(invites)).toEqual({ OK: 4, TOO_MANY_REQUESTS: 4 });
    expect(await count(server, 'room_members where room_id = ?', [room.id])).toBe(5);
    expect(await count(server, `events where room_id = ? and type = 'room.joined'`, [room.id])).toBe(5);
    // Removing is a room write too.
    const removed = await outcome(inviter.client.trpc.room.remove.mutate({ roomId: room.id, userId: pool[0]!.user.id }));
    expect(removed.code).toBe('TOO_MANY_REQUESTS');
    expect(await count(server, 'room_members where room_id = ? and left_event_id is null', [room.id])).toBe(5);
    await Promise.all([creator, inviter].map((a) => a.client.close()));
  });

  it('room.markRead: refused after the read-marks limit; the read position stays at the last accepted mark', async () => {
    const [reader, writer] = await Promise.all([fresh(), fresh()]);
    const sent = [];
    for (let i = 0; i < 8; i++) sent.push(await writer.client.trpc.chat.send.mutate({ text: `read me ${i}` }));
    const codes = await codesInTurn(sent.map((m) => () => reader.client.trpc.room.markRead.mutate({ roomId: EVERYONE_ROOM_ID, messageId: m.id })));
    expect(codes).toEqual(['OK', 'OK', 'OK', 'OK', 'OK', 'TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS']);
    expect(await count(server, `events where user_id = ? and type = 'read.updated'`, [reader.user.id])).toBe(5);
    const { last } = await one<{ last: string }>(server, 'select last_read_message_id::text as last from room_members where room_id = ? and user_id = ?', [EVERYONE_ROOM_ID, reader.user.id]);
    expect(last).toBe(sent[4]!.id);
    await Promise.all([reader, writer].map((a) => a.client.close()));
  });

  it('thread.follow, unfollow and markRead share the read-marks budget; refused ones change no follow and send no thread.read', async () => {
    const [reader, writer] = await Promise.all([fresh(), fresh()]);
    const root = await writer.client.trpc.chat.send.mutate({ text: 'a thread to flood' });
    await writer.client.trpc.thread.reply.mutate({ rootId: root.id, text: 'one reply' });
    const t = reader.client.trpc.thread;
    const codes = await codesInTurn(Array.from({ length: 8 }, (_, i) => () => (i % 2 === 0 ? t.follow.mutate({ rootId: root.id }) : t.unfollow.mutate({ rootId: root.id }))));
    expect(codes).toEqual(['OK', 'OK', 'OK', 'OK', 'OK', 'TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS']);
    expect((await outcome(t.markRead.mutate({ rootId: root.id }))).code).toBe('TOO_MANY_REQUESTS');
    expect(await count(server, `events where user_id = ? and type = 'thread.read'`, [reader.user.id])).toBe(5);
    // The fifth call (a follow) was the last accepted: following, not read.
    expect(await one(server, 'select following, last_read_message_id from thread_follows where root_id = ? and user_id = ?', [root.id, reader.user.id])).toEqual({ following: true, last_read_message_id: null });
    await Promise.all([reader, writer].map((a) => a.client.close()));
  });

  it('thread.reply is charged as a message: a flood is refused after the message limit and the refused replies are not stored or counted', async () => {
    const [author] = await Promise.all([fresh()]);
    const root = await author.client.trpc.chat.send.mutate({ text: 'flood my thread' });
    const codes = await codesInTurn(Array.from({ length: 20 }, (_, i) => () => author.client.trpc.thread.reply.mutate({ rootId: root.id, text: `flood ${i}` })));
    const accepted = codes.filter((c) => c === 'OK').length;
    expect(codes.slice(accepted).every((c) => c === 'TOO_MANY_REQUESTS')).toBe(true);
    // The root's send counted too: 12 a minute.
    expect(accepted).toBe(11);
    expect(await count(server, 'messages where thread_root_id = ?', [root.id])).toBe(accepted);
    expect(await one(server, 'select thread_reply_count as n from messages where id = ?', [root.id])).toEqual({ n: accepted });
    await author.client.close();
  });

  it('admin mutations: refused after the admin-actions limit, no audit entry for the refused ones; admin queries are not charged', async () => {
    const [owner, target, secondOwner] = await Promise.all([fresh(), fresh(), fresh()]);
    await sql(server, `update users set role = 'owner' where id in (?, ?)`, [owner.user.id, secondOwner.user.id]);
    const admin = http(server, owner.token);
    const codes = await codesInTurn(Array.from({ length: 8 }, (_, i) => () => admin.admin.mute.mutate({ userId: target.user.id, minutes: i + 1 })));
    expect(tally(codes)).toEqual({ OK: 5, TOO_MANY_REQUESTS: 3 });
    expect(await count(server, `audit_log where actor_id = ? and action = 'mute'`, [owner.user.id])).toBe(5);
    const { minutes } = await one<{ minutes: number }>(server, `select round(extract(epoch from muted_until - now()) / 60)::int as minutes from users where id = ?`, [target.user.id]);
    expect(minutes).toBe(5);
    expect((await outcome(admin.admin.createInvite.mutate({ uses: 1, expiresInHours: 1 }))).code).toBe('TOO_MANY_REQUESTS');
    expect(await count(server, 'invites where created_by_id = ?', [owner.user.id])).toBe(0);
    expect((await outcome(admin.admin.users.query({ query: '', limit: 10 }))).code).toBe('OK');
    expect((await outcome(http(server, secondOwner.token).admin.mute.mutate({ userId: target.user.id, minutes: 0 }))).code).toBe('OK');
    await Promise.all([owner, target, secondOwner].map((a) => a.client.close()));
  });

  it('chat.typing: stops from someone not typing are sent to no instance; a real stop still is', async () => {
    const user = await fresh();
    const published: boolean[] = [];
    const stop = server.deps.bus.subscribe((event) => {
      if (event.type === 'typing' && event.user.id === user.user.id) published.push(event.typing);
    });
    try {
      await Promise.all(Array.from({ length: 100 }, () => user.client.trpc.chat.typing.mutate({ typing: false })));
      expect(published).toEqual([]);
      await user.client.trpc.chat.typing.mutate({ typing: true });
      await user.client.trpc.chat.typing.mutate({ typing: false });
      await expect.poll(() => published).toEqual([true, false]);
    } finally {
      stop();
      await user.client.close();
    }
  });

  it('auth.refresh: a rotation loop is refused after the refresh limit, and a refused call rotates nothing', async () => {
    const user = await fresh();
    let token = user.token;
    const codes: string[] = [];
    for (let i = 0; i < 7; i++) {
      const result = await outcome(http(server, token).auth.refresh.mutate().then((auth) => (token = auth.token)));
      codes.push(result.code);
    }
    expect(codes).toEqual(['OK', 'OK', 'OK', 'OK', 'OK', 'TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS']);
    // The token the refused calls presented is still the session's current one.
    const jti = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).jti as string;
    expect(await count(server, 'sessions where user_id = ? and token_id = ?', [user.user.id, jti])).toBe(1);
    await user.client.close();
  });

  it('counts every refusal above under its own limit kind, for the metrics', () => {
    expect([...refusedKinds].sort()).toEqual(['admin-action', 'membership', 'message', 'read-mark', 'room-write', 'token-refresh']);
  });
});

describe('the web app’s normal use stays under the default limits', () => {
  let server: TestServer;
  beforeAll(async () => {
    const { roomWritesPerUser, membershipChangesPerUser, readMarksPerUser, adminActionsPerUser, tokenRefreshesPerUser } = DEFAULT_RATE_LIMITS;
    server = await startTestServer({
      adminDatabaseUrl: inject('adminDatabaseUrl'),
      rateLimits: { roomWritesPerUser, membershipChangesPerUser, readMarksPerUser, adminActionsPerUser, tokenRefreshesPerUser },
    });
  });
  afterAll(() => server?.dispose());

  it('a busy first session: joins, leaves, creates, renames, invites, DMs, reads a busy room, moderates; nothing is refused', async () => {
    const people = await signUpMany(server, 10, 'web');
    const [me, ...others] = people as [Account, ...Account[]];
    await sql(server, `update users set role = 'owner' where id = ?`, [me.user.id]);
    const channels: { id: string; createdBy: string | null }[] = [];
    for (const other of others.slice(0, 8)) channels.push(await other.client.trpc.room.create.mutate({ name: roomName('web'), kind: 'channel' }));
    const t = me.client.trpc;
    const calls: (() => Promise<unknown>)[] = [
      // Browse and join eight channels, leave two of them again.
      ...channels.map((c) => () => t.room.join.mutate({ roomId: c.id })),
      () => t.room.leave.mutate({ roomId: channels[0]!.id }),
      () => t.room.leave.mutate({ roomId: channels[1]!.id }),
      // Make a private room and two channels; rename and set topics a few times.
      () => t.room.create.mutate({ name: roomName('mine'), kind: 'private' }),
      () => t.room.create.mutate({ name: roomName('mine'), kind: 'channel' }),
      () => t.room.create.mutate({ name: roomName('mine'), kind: 'channel' }),
      // Open a DM with five people, twice each (clicking a name again opens the same DM).
      ...others.slice(0, 5).flatMap((o) => [() => t.room.openDirect.mutate({ userId: o.user.id }), () => t.room.openDirect.mutate({ userId: o.user.id })]),
      () => t.auth.refresh.mutate(),
    ];
    const codes = await codesInTurn(calls);
    expect(codes.filter((c) => c !== 'OK')).toEqual([]);

    const mine = (await t.room.list.query()).find((r) => r.kind === 'private')!;
    const more = await codesInTurn([
      ...others.map((o) => () => t.room.invite.mutate({ roomId: mine.id, userId: o.user.id })),
      () => t.room.remove.mutate({ roomId: mine.id, userId: others[0]!.user.id }),
      () => t.room.update.mutate({ roomId: mine.id, topic: 'plans' }),
      () => t.room.update.mutate({ roomId: mine.id, topic: 'plans, v2' }),
    ]);
    expect(more.filter((c) => c !== 'OK')).toEqual([]);

    // A busy room: 60 messages from six people in a few seconds, each marked read as it arrives.
    const busy = channels[2]!;
    const talkers = others.slice(0, 6);
    await Promise.all(talkers.filter((o) => o.user.id !== busy.createdBy).map((o) => o.client.trpc.room.join.mutate({ roomId: busy.id })));
    const reads: string[] = [];
    for (let i = 0; i < 60; i++) {
      const m = await talkers[i % 6]!.client.trpc.chat.send.mutate({ roomId: busy.id, text: `busy ${i}` });
      reads.push((await outcome(t.room.markRead.mutate({ roomId: busy.id, messageId: m.id }))).code);
    }
    expect(reads.filter((c) => c !== 'OK')).toEqual([]);

    // An admin clears a small spam wave: mutes three accounts and bans two.
    const admin = http(server, me.token);
    const moderation = await codesInTurn([
      ...others.slice(5, 8).map((o) => () => admin.admin.mute.mutate({ userId: o.user.id, minutes: 60 })),
      ...others.slice(7, 9).map((o) => () => admin.admin.ban.mutate({ userId: o.user.id, reason: 'spam' })),
      () => admin.admin.createInvite.mutate({ uses: 5, expiresInHours: 24 }),
    ]);
    expect(moderation.filter((c) => c !== 'OK')).toEqual([]);
    await Promise.all(people.map((p) => p.client.close()));
  }, 60_000);
});
