import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CLOSE_CODES } from '@chat/api';
import { codeOf, http, outcome, runUserRole, until } from '../testing/moderation.test-helpers';
import { createTestClient, liveSocket, signUpClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/testing';

// Issue 16: roles, registration modes and invites, mutes, bans and the audit log, on one real server.

type Account = Awaited<ReturnType<typeof signUpClient>>;
let server: TestServer;
let owner: Account;
let admin: Account;
let member: Account;
let initialRegistration: unknown;
const sql = <T extends object[]>(query: string, params: unknown[] = []) => server.orm.em.fork().execute<T>(query, params);
const password = 'correct horse battery';
let names = 0;
const freshName = (prefix: string) => `${prefix}${Date.now().toString(36).slice(-5)}${names++}`;
const signUp = (inviteCode?: string, username = freshName('new')) =>
  http(server, null).auth.signup.mutate({ username, password, ...(inviteCode === undefined ? {} : { inviteCode }) });

beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl') });
  [owner, admin, member] = await Promise.all([signUpClient(server, 'owner'), signUpClient(server, 'admin'), signUpClient(server, 'member')]);
  // The first owner comes from the command line (docs/decisions/110-roles-and-first-owner.md).
  const made = await runUserRole(server.databaseUrl, owner.user.username, 'owner');
  expect(made).toMatchObject({ code: 0, stdout: `${owner.user.username} is now owner\n` });
  initialRegistration = await http(server, owner.token).admin.registration.query();
  await http(server, owner.token).admin.setRole.mutate({ userId: admin.user.id, role: 'admin' });
}, 60_000);
afterAll(async () => {
  await Promise.all([owner, admin, member].map((a) => a.client.close()));
  await server?.dispose();
});

describe('pnpm user:role NAME ROLE', () => {
  it('made the owner, and auth.role tells each account its role', async () => {
    expect(await http(server, owner.token).auth.role.query()).toEqual({ role: 'owner' });
    expect(await http(server, admin.token).auth.role.query()).toEqual({ role: 'admin' });
    expect(await http(server, member.token).auth.role.query()).toEqual({ role: 'member' });
  });

  it('is audited with no actor (the command line)', async () => {
    const { entries } = await http(server, owner.token).admin.auditLog.query({ limit: 100 });
    expect(entries.find((e) => e.action === 'role' && e.actor === null)).toMatchObject({
      target: { id: owner.user.id, username: owner.user.username },
      details: { from: 'member', to: 'owner', via: 'command line' },
    });
  });

  it('refuses an unknown user and an unknown role with a message and a non-zero exit', async () => {
    const [unknownUser, unknownRole] = await Promise.all([runUserRole(server.databaseUrl, 'nobody-here', 'admin'), runUserRole(server.databaseUrl, member.user.username, 'king')]);
    expect(unknownUser.code).toBe(1);
    expect(unknownUser.stderr).toContain('No user is called "nobody-here"');
    expect(unknownRole.code).toBe(2);
    expect(unknownRole.stderr).toContain('usage: pnpm user:role NAME ROLE');
    expect(await http(server, member.token).auth.role.query()).toEqual({ role: 'member' });
  }, 30_000);
});

describe('every admin procedure is for admins and owners only', () => {
  // Valid input for each, aimed at a throwaway target, so that only the role decides.
  const calls = (token: string | null, targetId: string) => {
    const a = http(server, token).admin;
    return {
      users: () => a.users.query({}),
      setRole: () => a.setRole.mutate({ userId: targetId, role: 'member' }),
      ban: () => a.ban.mutate({ userId: targetId, reason: 'test' }),
      unban: () => a.unban.mutate({ userId: targetId }),
      mute: () => a.mute.mutate({ userId: targetId, minutes: 0 }),
      registration: () => a.registration.query(),
      setRegistration: () => a.setRegistration.mutate({ mode: 'open' }),
      createInvite: () => a.createInvite.mutate({}),
      invites: () => a.invites.query(),
      revokeInvite: () => a.revokeInvite.mutate({ code: 'no-such-code' }),
      auditLog: () => a.auditLog.query({}),
      reports: () => a.reports.query(),
      resolveReport: () => a.resolveReport.mutate({ reportId: '999999999', action: 'dismiss' }),
    };
  };

  it('refuses members with FORBIDDEN and anonymous callers with UNAUTHORIZED, for every procedure', async () => {
    const target = await signUpClient(server, 'target');
    const asMember = calls(member.token, target.user.id);
    const asNobody = calls(null, target.user.id);
    for (const [name, call] of Object.entries(asMember)) {
      expect([name, await outcome(call())]).toEqual([name, { code: 'FORBIDDEN', message: 'Only admins and owners can do this' }]);
      expect([name, await codeOf(asNobody[name as keyof typeof asNobody]())]).toEqual([name, 'UNAUTHORIZED']);
    }
    expect((await http(server, owner.token).admin.users.query({ query: target.user.username })).users[0]).toMatchObject({ banned: null, role: 'member' });
  });

  it('lets admins do all but change roles, and owners everything', async () => {
    const target = await signUpClient(server, 'target');
    const expected: Record<string, Record<string, string>> = {
      admin: { setRole: 'FORBIDDEN', revokeInvite: 'NOT_FOUND', resolveReport: 'NOT_FOUND' },
      owner: { revokeInvite: 'NOT_FOUND', resolveReport: 'NOT_FOUND' },
    };
    for (const [role, account] of [['admin', admin], ['owner', owner]] as const) {
      for (const [name, call] of Object.entries(calls(account.token, target.user.id))) {
        expect([role, name, await codeOf(call())]).toEqual([role, name, expected[role]![name] ?? 'OK']);
      }
    }
  });

  it('an admin cannot act on an admin or an owner, an owner can; nobody acts on themselves', async () => {
    const second = await signUpClient(server, 'admin2');
    await http(server, owner.token).admin.setRole.mutate({ userId: second.user.id, role: 'admin' });
    const asAdmin = http(server, admin.token).admin;
    expect(await outcome(asAdmin.ban.mutate({ userId: owner.user.id, reason: 'coup' }))).toEqual({ code: 'FORBIDDEN', message: 'Only an owner can ban an owner' });
    expect(await outcome(asAdmin.ban.mutate({ userId: second.user.id, reason: 'rival' }))).toEqual({ code: 'FORBIDDEN', message: 'Only an owner can ban an admin' });
    expect(await codeOf(asAdmin.mute.mutate({ userId: second.user.id, minutes: 5 }))).toBe('FORBIDDEN');
    expect(await outcome(asAdmin.mute.mutate({ userId: admin.user.id, minutes: 5 }))).toEqual({ code: 'BAD_REQUEST', message: 'You cannot mute yourself' });
    expect(await codeOf(http(server, owner.token).admin.ban.mutate({ userId: owner.user.id, reason: 'oops' }))).toBe('BAD_REQUEST');
    expect(await codeOf(http(server, owner.token).admin.ban.mutate({ userId: second.user.id, reason: 'owner may' }))).toBe('OK');
    // The last owner cannot step down through the API.
    expect(await outcome(http(server, owner.token).admin.setRole.mutate({ userId: owner.user.id, role: 'admin' }))).toEqual({
      code: 'CONFLICT',
      message: 'This is the only owner; make someone else owner first',
    });
    // A role taken away counts at once: roles are read on every call, not from the token.
    const third = await signUpClient(server, 'admin3');
    await http(server, owner.token).admin.setRole.mutate({ userId: third.user.id, role: 'admin' });
    expect(await codeOf(http(server, third.token).admin.users.query({}))).toBe('OK');
    await http(server, owner.token).admin.setRole.mutate({ userId: third.user.id, role: 'member' });
    expect(await codeOf(http(server, third.token).admin.users.query({}))).toBe('FORBIDDEN');
  });
});

describe('registration modes and invites', () => {
  const setMode = (mode: 'open' | 'invite' | 'closed') => http(server, admin.token).admin.setRegistration.mutate({ mode });
  afterAll(() => setMode('open'));

  it('is open on a fresh install (decision 111), and closed refuses every sign-up with a clear FORBIDDEN', async () => {
    expect(initialRegistration).toEqual({ mode: 'open', source: 'default' });
    expect(await setMode('closed')).toEqual({ mode: 'closed', source: 'setting' });
    expect(await outcome(signUp())).toEqual({ code: 'FORBIDDEN', message: "Sign-up is closed on this server; ask its admins for an account" });
    const invite = await http(server, admin.token).admin.createInvite.mutate({});
    expect(await codeOf(signUp(invite.code))).toBe('FORBIDDEN');
    // Existing accounts still log in.
    expect(await codeOf(http(server, null).auth.login.mutate({ username: member.user.username, password }))).toBe('OK');
  });

  it('invite mode needs a code; a code admits exactly `uses` sign-ups; the admin sees who used it', async () => {
    await setMode('invite');
    expect(await outcome(signUp())).toEqual({ code: 'FORBIDDEN', message: 'Sign-up on this server needs an invite; open the invite link an admin gave you' });
    const invite = await http(server, admin.token).admin.createInvite.mutate({ uses: 2, expiresInHours: 1 });
    expect(invite.code).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(invite.url).toBe(`${server.url}/?invite=${invite.code}`);
    expect(invite).toMatchObject({ uses: 2, used: 0, state: 'active', createdBy: { id: admin.user.id } });
    const first = await signUp(invite.code);
    // A name refused after the invite was checked gives the use back.
    expect(await codeOf(signUp(invite.code, member.user.username))).toBe('CONFLICT');
    const second = await signUp(invite.code);
    expect(await outcome(signUp(invite.code))).toEqual({ code: 'FORBIDDEN', message: 'This invite has been used up; ask an admin for a new one' });
    const listed = (await http(server, admin.token).admin.invites.query()).find((i) => i.code === invite.code)!;
    expect(listed).toMatchObject({ used: 2, state: 'used up' });
    expect(listed.usedBy.map((u) => u.user.username)).toEqual([first.user.username, second.user.username]);
  });

  it('refuses expired, revoked and unknown codes, each with its own reason', async () => {
    await setMode('invite');
    const a = http(server, admin.token).admin;
    const expired = await a.createInvite.mutate({ uses: 5 });
    await sql(`update invites set expires_at = now() - interval '1 second' where code = ?`, [expired.code]);
    expect(await outcome(signUp(expired.code))).toEqual({ code: 'FORBIDDEN', message: 'This invite has expired; ask an admin for a new one' });
    const revoked = await a.createInvite.mutate({ uses: 5 });
    expect(await a.revokeInvite.mutate({ code: revoked.code })).toMatchObject({ state: 'revoked' });
    expect(await outcome(signUp(revoked.code))).toEqual({ code: 'FORBIDDEN', message: 'This invite was revoked; ask an admin for a new one' });
    expect(await outcome(signUp('madeUpCode123'))).toEqual({ code: 'FORBIDDEN', message: 'This invite code is not valid; ask an admin for a new one' });
    expect(await codeOf(signUp('not a code!'))).toBe('BAD_REQUEST');
  });

  it('concurrent sign-ups never use an invite more than `uses` times', async () => {
    await setMode('invite');
    const invite = await http(server, admin.token).admin.createInvite.mutate({ uses: 3 });
    const results = await Promise.all(Array.from({ length: 12 }, () => outcome(signUp(invite.code))));
    expect(results.filter((r) => r.code === 'OK')).toHaveLength(3);
    expect(results.filter((r) => r.code === 'FORBIDDEN')).toHaveLength(9);
    const [row] = await sql<{ used: number; uses_rows: number }[]>(
      `select used, (select count(*)::int from invite_uses where invite_code = ?) as uses_rows from invites where code = ?`,
      [invite.code, invite.code],
    );
    expect(row).toEqual({ used: 3, uses_rows: 3 });
  });

  it('open mode ignores an invite code', async () => {
    await setMode('open');
    expect(await codeOf(signUp('whateverCode'))).toBe('OK');
  });

  it('REGISTRATION_MODE wins over the stored setting, which the screen then cannot change', async () => {
    const fixed = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), databaseUrl: server.databaseUrl, jwtSecret: server.jwtSecret, registrationMode: 'closed' });
    try {
      expect(await http(fixed, admin.token).admin.registration.query()).toEqual({ mode: 'closed', source: 'env' });
      expect(await outcome(http(fixed, admin.token).admin.setRegistration.mutate({ mode: 'open' }))).toEqual({
        code: 'CONFLICT',
        message: 'REGISTRATION_MODE=closed is set on the server and wins over this screen; change it there',
      });
      expect(await codeOf(http(fixed, null).auth.signup.mutate({ username: freshName('env'), password }))).toBe('FORBIDDEN');
    } finally {
      await fixed.dispose();
    }
  });
});

describe('channel moderators', () => {
  it('a channel’s creator removes members there but not in another channel; admins moderate every channel they are in; each removal is audited', async () => {
    const [creator, other, troll] = await Promise.all([signUpClient(server, 'creator'), signUpClient(server, 'other'), signUpClient(server, 'troll')]);
    const mine = await creator.client.trpc.room.create.mutate({ kind: 'channel', name: freshName('mine') });
    const theirs = await other.client.trpc.room.create.mutate({ kind: 'channel', name: freshName('theirs') });
    for (const client of [troll.client, creator.client]) await client.trpc.room.join.mutate({ roomId: theirs.id });
    await troll.client.trpc.room.join.mutate({ roomId: mine.id });
    await admin.client.trpc.room.join.mutate({ roomId: theirs.id });

    expect(await outcome(creator.client.trpc.room.remove.mutate({ roomId: theirs.id, userId: troll.user.id }))).toEqual({
      code: 'FORBIDDEN',
      message: 'Only the room’s creator or an admin can remove members',
    });
    expect(await codeOf(troll.client.trpc.room.remove.mutate({ roomId: mine.id, userId: creator.user.id }))).toBe('FORBIDDEN');
    expect(await codeOf(creator.client.trpc.room.remove.mutate({ roomId: mine.id, userId: troll.user.id }))).toBe('OK');
    expect(await codeOf(admin.client.trpc.room.remove.mutate({ roomId: theirs.id, userId: troll.user.id }))).toBe('OK');

    const { entries } = await http(server, admin.token).admin.auditLog.query({ limit: 2 });
    expect(entries.map((e) => [e.action, e.actor?.username, e.target?.username, e.details?.room])).toEqual([
      ['room.remove', admin.user.username, troll.user.username, theirs.name],
      ['room.remove', creator.user.username, troll.user.username, mine.name],
    ]);
    await Promise.all([creator, other, troll].map((a) => a.client.close()));
  });
});

describe('mute', () => {
  it('refuses chat.send in #everyone and in rooms, edits and reactions, with a clear error until it ends; 0 lifts it', async () => {
    const loud = await signUpClient(server, 'loud');
    const room = await loud.client.trpc.room.create.mutate({ kind: 'channel', name: freshName('r') });
    const { id: ownId } = await loud.client.trpc.chat.send.mutate({ roomId: room.id, text: 'before the mute' });
    const muted = await http(server, admin.token).admin.mute.mutate({ userId: loud.user.id, minutes: 10, reason: 'flooding' });
    expect(muted.mutedUntil).not.toBeNull();
    const refused = await outcome(loud.client.trpc.chat.send.mutate({ text: 'still here' }));
    expect(refused.code).toBe('FORBIDDEN');
    expect(refused.message).toMatch(/^A moderator muted you until \d{4}-\d\d-\d\d \d\d:\d\d UTC \(10 min left\): you can read but not send$/);
    expect(await codeOf(loud.client.trpc.chat.send.mutate({ roomId: room.id, text: 'in my room' }))).toBe('FORBIDDEN');
    expect(await codeOf(loud.client.trpc.chat.history.query({}))).toBe('OK');
    // Editing an earlier message or reacting is sending too; deleting one's own and reading are not.
    const edit = await outcome(loud.client.trpc.chat.edit.mutate({ messageId: ownId, text: 'sneaked in' }));
    expect(edit.code).toBe('FORBIDDEN');
    expect(edit.message).toMatch(/^A moderator muted you until/);
    expect(await codeOf(loud.client.trpc.chat.react.mutate({ messageId: ownId, emoji: '👍', on: true }))).toBe('FORBIDDEN');
    expect(await codeOf(loud.client.trpc.chat.delete.mutate({ messageId: ownId }))).toBe('OK');
    // The time passing lifts it, without anyone acting.
    await sql(`update users set muted_until = now() - interval '1 second' where id = ?`, [loud.user.id]);
    expect(await codeOf(loud.client.trpc.chat.send.mutate({ text: 'back' }))).toBe('OK');
    await http(server, admin.token).admin.mute.mutate({ userId: loud.user.id, minutes: 5 });
    expect(await codeOf(loud.client.trpc.chat.send.mutate({ text: 'again' }))).toBe('FORBIDDEN');
    expect((await http(server, admin.token).admin.mute.mutate({ userId: loud.user.id, minutes: 0 })).mutedUntil).toBeNull();
    expect(await codeOf(loud.client.trpc.chat.send.mutate({ roomId: room.id, text: 'unmuted' }))).toBe('OK');
    await loud.client.close();
  });
});

/** The refusal's `data.banned`: null for any other refusal. */
const bannedData = (call: Promise<unknown>) => call.then(() => 'accepted', (error: unknown) => (error as { data?: { banned?: unknown } }).data?.banned ?? null);

describe('ban', () => {
  it('ends every session and socket, refuses login, refresh and old tokens with FORBIDDEN, keeps messages; unban restores login', async () => {
    const troll = await signUpClient(server, 'troll');
    const sent = await troll.client.trpc.chat.send.mutate({ text: 'troll was here' });
    const other = await http(server, null).auth.login.mutate({ username: troll.user.username, password });
    const socket = liveSocket(server, troll.token);
    await until('socket open', () => socket.state.opens === 1);

    const banned = await http(server, admin.token).admin.ban.mutate({ userId: troll.user.id, reason: 'spam links' });
    expect(banned.banned).toMatchObject({ reason: 'spam links' });
    await until('socket closed as revoked', () => socket.state.closeCodes.includes(CLOSE_CODES.tokenRevoked), 1_000);

    const bannedMessage = "This account is banned (spam links); contact the server's admins if you think this is a mistake";
    for (const token of [troll.token, other.token]) {
      expect(await outcome(http(server, token).auth.refresh.mutate())).toEqual({ code: 'FORBIDDEN', message: bannedMessage });
      expect(await outcome(http(server, token).chat.send.mutate({ text: 'x' }))).toEqual({ code: 'FORBIDDEN', message: bannedMessage });
    }
    expect(await outcome(http(server, null).auth.login.mutate({ username: troll.user.username, password }))).toEqual({ code: 'FORBIDDEN', message: bannedMessage });
    // The ban and its reason in a field a client reads (issue 23), on login and on an old token's call.
    expect(await bannedData(http(server, null).auth.login.mutate({ username: troll.user.username, password }))).toEqual({ reason: 'spam links' });
    expect(await bannedData(http(server, troll.token).auth.me.query())).toEqual({ reason: 'spam links' });
    // A wrong password is still just a wrong password: the ban is told only to whoever knows it.
    expect(await codeOf(http(server, null).auth.login.mutate({ username: troll.user.username, password: 'wrong password!' }))).toBe('UNAUTHORIZED');
    expect(await bannedData(http(server, null).auth.login.mutate({ username: troll.user.username, password: 'wrong password!' }))).toBeNull();
    const history = await member.client.trpc.chat.history.query({ limit: 100 });
    expect(history.messages.map((m) => m.id)).toContain(sent.id);

    await http(server, admin.token).admin.unban.mutate({ userId: troll.user.id, reason: 'appeal accepted' });
    const back = await http(server, null).auth.login.mutate({ username: troll.user.username, password });
    expect(await codeOf(http(server, back.token).chat.send.mutate({ text: 'sorry' }))).toBe('OK');
    await socket.close();
    await troll.client.close();
  });

  it('a login racing the ban never leaves a live session behind', async () => {
    const racer = await signUpClient(server, 'racer');
    const logins = Array.from({ length: 6 }, () => outcome(http(server, null).auth.login.mutate({ username: racer.user.username, password })));
    await http(server, admin.token).admin.ban.mutate({ userId: racer.user.id, reason: 'race' });
    await Promise.all(logins);
    const [live] = await sql<{ n: number }[]>(`select count(*)::int as n from sessions where user_id = ? and revoked_at is null`, [racer.user.id]);
    expect(live!.n).toBe(0);
    await racer.client.close();
  });

  it('a banned WebSocket token is refused with FORBIDDEN', async () => {
    const gone = await signUpClient(server, 'gone');
    await http(server, admin.token).admin.ban.mutate({ userId: gone.user.id, reason: 'bye' });
    const client = createTestClient(server, gone.token);
    const error = await new Promise<{ code: string; banned: unknown }>((resolve) => {
      const sub = client.trpc.chat.onEvent.subscribe({}, { onError: (e) => (sub.unsubscribe(), resolve({ code: e.data?.code ?? e.message, banned: e.data?.banned })), onData: () => {} });
    });
    expect(error).toEqual({ code: 'FORBIDDEN', banned: { reason: 'bye' } });
    await client.close();
  });
});

describe('audit log', () => {
  it('records who did what to whom, when and why, newest first, paged', async () => {
    const subject = await signUpClient(server, 'subject');
    const a = http(server, admin.token).admin;
    const started = Date.now();
    await a.mute.mutate({ userId: subject.user.id, minutes: 3, reason: 'cool off' });
    await a.mute.mutate({ userId: subject.user.id, minutes: 0 });
    await a.ban.mutate({ userId: subject.user.id, reason: 'repeat' });
    await a.unban.mutate({ userId: subject.user.id, reason: 'second chance' });
    const invite = await a.createInvite.mutate({ uses: 4 });
    await a.revokeInvite.mutate({ code: invite.code });
    await a.setRegistration.mutate({ mode: 'open' });
    await http(server, owner.token).admin.setRole.mutate({ userId: subject.user.id, role: 'admin' });

    const page = await a.auditLog.query({ limit: 8 });
    const me = { id: admin.user.id, username: admin.user.username };
    const them = { id: subject.user.id, username: subject.user.username };
    expect(page.entries.map(({ actor, action, target, reason }) => ({ actor, action, target, reason }))).toEqual([
      { actor: { id: owner.user.id, username: owner.user.username }, action: 'role', target: them, reason: null },
      { actor: me, action: 'registration', target: null, reason: null },
      { actor: me, action: 'invite.revoke', target: null, reason: null },
      { actor: me, action: 'invite.create', target: null, reason: null },
      { actor: me, action: 'unban', target: them, reason: 'second chance' },
      { actor: me, action: 'ban', target: them, reason: 'repeat' },
      { actor: me, action: 'unmute', target: them, reason: null },
      { actor: me, action: 'mute', target: them, reason: 'cool off' },
    ]);
    for (const entry of page.entries) expect(Date.parse(entry.at)).toBeGreaterThanOrEqual(started - 1000);
    expect(page.entries[2]!.details).toEqual({ code: invite.code });
    expect(page.nextBefore).toBe(page.entries[7]!.id);
    const older = await a.auditLog.query({ before: page.nextBefore!, limit: 100 });
    expect(older.entries.length).toBeGreaterThan(0);
    expect(BigInt(older.entries[0]!.id)).toBeLessThan(BigInt(page.entries[7]!.id));
    await subject.client.close();
  });

  it('cannot be altered: no procedure offers it, and the table refuses updates and deletes', async () => {
    const { appRouter } = await import('@chat/api');
    const adminProcedures = Object.keys(appRouter._def.record.admin as object);
    expect(adminProcedures.filter((p) => /audit/i.test(p))).toEqual(['auditLog']);
    await expect(sql(`update audit_log set reason = 'rewritten'`)).rejects.toThrow(/append-only/);
    await expect(sql(`delete from audit_log`)).rejects.toThrow(/append-only/);
    await expect(sql(`truncate audit_log`)).rejects.toThrow(/append-only/);
  });
});

describe('input', () => {
  it('refuses a ban without a reason, an unknown user, and a mute out of range, with BAD_REQUEST / NOT_FOUND', async () => {
    const a = http(server, admin.token).admin;
    expect(await outcome(a.ban.mutate({ userId: member.user.id, reason: '   ' }))).toEqual({ code: 'BAD_REQUEST', message: 'reason: Say why (the audit log keeps it)' });
    expect(await outcome(a.ban.mutate({ userId: randomUUID(), reason: 'x' }))).toEqual({ code: 'NOT_FOUND', message: 'No user has this id' });
    expect(await codeOf(a.mute.mutate({ userId: member.user.id, minutes: -1 }))).toBe('BAD_REQUEST');
    expect(await codeOf(a.createInvite.mutate({ uses: 0 }))).toBe('BAD_REQUEST');
  });
});
