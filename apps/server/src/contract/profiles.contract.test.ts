import { EVERYONE_ROOM_ID } from '@chat/api/schemas';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { codeOf, roomName, settle, sleep, watchEvents } from '../testing/rooms.test-helpers';
import { createTestClient, refusalOf, signUpClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/testing';

// Profiles over real HTTP and sockets (issue 25, docs/decisions/155-profiles.md): display names with hostile
// text and look-alikes refused, a status with an emoji and an expiry, a time zone, user.updated to every
// room showing the user, the fields on every output that describes a user, and the rate limit.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), rateLimits: { accountWritesPerUser: { points: 12, duration: 3600 } } });
});
afterAll(() => server?.dispose());

type Member = Awaited<ReturnType<typeof signUpClient>>;

/** Alice and Bob share a private room where Alice has written. */
async function pair() {
  const alice = await signUpClient(server, 'alice');
  const bob = await signUpClient(server, 'bob');
  const room = await alice.client.trpc.room.create.mutate({ name: roomName('people'), kind: 'private' });
  await alice.client.trpc.room.invite.mutate({ roomId: room.id, userId: bob.user.id });
  await alice.client.trpc.chat.send.mutate({ roomId: room.id, text: 'hello' });
  return { alice, bob, roomId: room.id };
}

const update = (member: Member, input: Parameters<Member['client']['trpc']['user']['updateProfile']['mutate']>[0]) => member.client.trpc.user.updateProfile.mutate(input);

describe('a profile change', () => {
  it('shows the display name, status and time zone on every output that describes the user, and tells every open client', async () => {
    const { alice, bob, roomId } = await pair();
    const events = watchEvents(bob.client);
    await settle();
    const expiresAt = new Date(Date.now() + 3600_000).toISOString();
    const me = await update(alice, { displayName: '  Alice   Liddell ', status: { text: 'In a meeting', emoji: '📅', expiresAt }, timeZone: 'Europe/Paris' });
    expect(me).toMatchObject({ id: alice.user.id, displayName: 'Alice Liddell', status: { text: 'In a meeting', emoji: '📅', expiresAt }, timeZone: 'Europe/Paris' });

    const announced = { id: alice.user.id, username: alice.user.username, displayName: 'Alice Liddell', status: { text: 'In a meeting', emoji: '📅', expiresAt }, timeZone: 'Europe/Paris' };
    await expect.poll(() => events.durable().filter((e) => e.type === 'user.updated')).toEqual([
      expect.objectContaining({ type: 'user.updated', roomId: EVERYONE_ROOM_ID, user: announced }),
      expect.objectContaining({ type: 'user.updated', roomId, user: announced }),
    ]);
    // Message authors and members carry the display name only; profiles carry everything.
    const history = await bob.client.trpc.chat.history.query({ roomId });
    expect(history.messages.at(-1)?.author).toEqual({ id: alice.user.id, username: alice.user.username, displayName: 'Alice Liddell' });
    const members = await bob.client.trpc.room.members.query({ roomId });
    expect(members.find((m) => m.id === alice.user.id)).toMatchObject({ displayName: 'Alice Liddell' });
    expect(members.find((m) => m.id === bob.user.id)).not.toHaveProperty('displayName');
    const [found] = await bob.client.trpc.user.search.query({ query: alice.user.username });
    expect(found).toMatchObject({ displayName: 'Alice Liddell', status: { text: 'In a meeting' }, timeZone: 'Europe/Paris' });
    expect(await bob.client.trpc.user.profile.query({ userId: alice.user.id })).toMatchObject(announced);
    expect(await alice.client.trpc.auth.me.query()).toMatchObject(announced);
    const sent = await alice.client.trpc.chat.send.mutate({ roomId, text: 'named now' });
    expect(sent.author).toEqual({ id: alice.user.id, username: alice.user.username, displayName: 'Alice Liddell' });

    // Absent fields stay; null clears; a repeat of the same profile writes no event.
    const updates = () => events.durable().filter((e) => e.type === 'user.updated').length;
    const before = updates();
    await update(alice, { timeZone: 'Europe/Paris' });
    await update(alice, { status: null });
    await expect.poll(updates).toBe(before + 2);
    await settle();
    expect(updates()).toBe(before + 2);
    expect(await bob.client.trpc.user.profile.query({ userId: alice.user.id })).not.toHaveProperty('status');
    await update(alice, { displayName: null });
    expect((await bob.client.trpc.chat.history.query({ roomId })).messages.at(-1)?.author).toEqual({ id: alice.user.id, username: alice.user.username });
    events.stop();
  });

  it('names a DM’s peer and a group’s members with their display names and avatars, and tells those rooms', async () => {
    const alice = await signUpClient(server, 'alice');
    const bob = await signUpClient(server, 'bob');
    const carol = await signUpClient(server, 'carol');
    const dm = await bob.client.trpc.room.openDirect.mutate({ userId: alice.user.id });
    const group = await bob.client.trpc.room.openGroup.mutate({ userIds: [alice.user.id, carol.user.id] });
    const events = watchEvents(bob.client);
    await settle();
    await update(alice, { displayName: 'Alice Liddell' });

    const shown = { id: alice.user.id, username: alice.user.username, displayName: 'Alice Liddell' };
    await expect.poll(() => events.durable().filter((e) => e.type === 'user.updated' && (e.roomId === dm.id || e.roomId === group.id)).length).toBe(2);
    const rows = await bob.client.trpc.room.list.query();
    const dmRow = rows.find((r) => r.id === dm.id)!;
    // The server's name stays the username (old clients, decision 153); the peer carries the display name.
    expect(dmRow).toMatchObject({ name: alice.user.username, peer: shown });
    expect(rows.find((r) => r.id === group.id)!.group!.members).toContainEqual(shown);
    expect(rows.find((r) => r.id === group.id)!.group!.members).toContainEqual({ id: carol.user.id, username: carol.user.username });
    // A join's room carries the members as they are now: the joiner too.
    await update(carol, { displayName: 'Carol C' });
    const dave = await signUpClient(server, 'dave');
    await update(dave, { displayName: 'Dave D' });
    await bob.client.trpc.room.invite.mutate({ roomId: group.id, userId: dave.user.id });
    await expect.poll(() => events.durable().find((e) => e.type === 'room.joined' && e.roomId === group.id)).toBeTruthy();
    const joined = events.durable().find((e) => e.type === 'room.joined' && e.roomId === group.id);
    expect(joined?.type === 'room.joined' && joined.room.group?.members).toEqual(expect.arrayContaining([shown, { id: carol.user.id, username: carol.user.username, displayName: 'Carol C' }, { id: dave.user.id, username: dave.user.username, displayName: 'Dave D' }]));
  });

  it('a user without a profile is the JSON it always was', async () => {
    const carol = await signUpClient(server, 'carol');
    const me = await carol.client.trpc.auth.me.query();
    expect(Object.keys(me).sort()).toEqual(['createdAt', 'id', 'username']);
  });
});

describe('display names that are refused', () => {
  it('refuses hostile text with BAD_REQUEST and writes nothing', async () => {
    const dan = await signUpClient(server, 'dan');
    const hostile = [
      'evil\u202Egnp.exe', // right-to-left override
      'a\u2066b', // isolate
      'ad\u200Bmin', // zero width space
      'name\u200Ftrick', // right-to-left mark
      `Z${'\u0301\u0302\u0303\u0304'.repeat(3)}algo`, // stacked marks
      'x'.repeat(10_000),
      'y'.repeat(65),
      '\u3164', // Hangul filler: looks blank
      '!!!',
    ];
    for (const displayName of hostile) expect([displayName.slice(0, 12), await codeOf(() => update(dan, { displayName }))]).toEqual([displayName.slice(0, 12), 'BAD_REQUEST']);
    expect(await codeOf(() => update(dan, { status: { text: 's'.repeat(101), emoji: null, expiresAt: null } }))).toBe('BAD_REQUEST');
    expect(await codeOf(() => update(dan, { status: { text: 'hi\u202E', emoji: null, expiresAt: null } }))).toBe('BAD_REQUEST');
    expect(await codeOf(() => update(dan, { status: { text: 'two', emoji: '😀😀', expiresAt: null } }))).toBe('BAD_REQUEST');
    expect(await codeOf(() => update(dan, { status: { text: 'past', emoji: null, expiresAt: new Date(Date.now() - 1000).toISOString() } }))).toBe('BAD_REQUEST');
    expect(await codeOf(() => update(dan, { timeZone: 'Mars/Olympus_Mons' }))).toBe('BAD_REQUEST');
    expect(await codeOf(() => update(dan, { displayName: 'ok', unknown: true } as never))).toBe('BAD_REQUEST');
    expect(await dan.client.trpc.auth.me.query()).not.toHaveProperty('displayName');
    // Emoji with their joiner, accents and other scripts are names.
    expect((await update(dan, { displayName: 'Dàn 👩‍💻 Łukasz Ωμέγα' })).displayName).toBe('Dàn 👩‍💻 Łukasz Ωμέγα');
  });

  it('refuses a display name that looks like another user’s username or a reserved name, and allows one like the user’s own', async () => {
    const erin = await signUpClient(server, 'erin');
    const frank = await signUpClient(server, 'frank');
    const lookAlike = frank.user.username.replace(/[ilo]/g, (c) => ({ i: 'I', l: '1', o: '0' })[c] ?? c).toUpperCase();
    expect(await refusalOf(() => update(erin, { displayName: frank.user.username }))).toBe(`CONFLICT: The display name "${frank.user.username}" looks like @${frank.user.username}'s username; pick another one`);
    expect(await codeOf(() => update(erin, { displayName: lookAlike }))).toBe('CONFLICT');
    expect(await codeOf(() => update(erin, { displayName: frank.user.username.split('').join(' ') }))).toBe('CONFLICT');
    expect(await codeOf(() => update(erin, { displayName: 'Admin' }))).toBe('CONFLICT');
    expect(await codeOf(() => update(erin, { displayName: 'every one' }))).toBe('CONFLICT');
    expect((await update(erin, { displayName: erin.user.username.toUpperCase() })).displayName).toBe(erin.user.username.toUpperCase());
  });
});

describe('statuses', () => {
  it('stop showing once expired, on every read, with no event', async () => {
    const { alice, bob, roomId } = await pair();
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    await update(alice, { status: { text: 'brb', emoji: '☕', expiresAt } });
    expect(await bob.client.trpc.user.profile.query({ userId: alice.user.id })).toMatchObject({ status: { text: 'brb', expiresAt } });
    const events = watchEvents(bob.client);
    await settle();
    await sleep(1600);
    expect(await bob.client.trpc.user.profile.query({ userId: alice.user.id })).not.toHaveProperty('status');
    expect(await alice.client.trpc.auth.me.query()).not.toHaveProperty('status');
    const [found] = await bob.client.trpc.user.search.query({ query: alice.user.username });
    expect(found).not.toHaveProperty('status');
    expect(events.durable().filter((e) => e.type === 'user.updated' && e.roomId === roomId)).toEqual([]);
    events.stop();
  });

  it('an emoji alone is a status', async () => {
    const gus = await signUpClient(server, 'gus');
    expect((await update(gus, { status: { text: '', emoji: '🌴', expiresAt: null } })).status).toEqual({ text: '', emoji: '🌴' });
  });
});

describe('profile writes are rate-limited', () => {
  it('refuses past the limit with TOO_MANY_REQUESTS and writes nothing more', async () => {
    const hal = await signUpClient(server, 'hal');
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => codeOf(() => update(hal, { status: { text: `s${i}`, emoji: null, expiresAt: null } }))));
    expect(answers.filter((a) => a === 'resolved')).toHaveLength(12);
    expect(answers.filter((a) => a === 'TOO_MANY_REQUESTS')).toHaveLength(8);
    expect(await codeOf(() => update(hal, { displayName: 'Hal' }))).toBe('TOO_MANY_REQUESTS');
    expect(await hal.client.trpc.auth.me.query()).not.toHaveProperty('displayName');
  });

  it('needs a login', async () => {
    const anonymous = createTestClient(server, null);
    expect(await codeOf(() => anonymous.trpc.user.updateProfile.mutate({ displayName: 'ghost' }))).toBe('UNAUTHORIZED');
  });
});
