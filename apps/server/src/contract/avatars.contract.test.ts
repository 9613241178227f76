import { readdir } from 'node:fs/promises';
import { avatarPath, EVERYONE_ROOM_ID } from '@chat/api/schemas';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makePdf, makePng, tusUpload } from '../testing/files.test-helpers';
import { codeOf, roomName, settle, watchEvents } from '../testing/rooms.test-helpers';
import { signUpClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/testing';

// Avatars over real HTTP and sockets (issue 24, docs/decisions/143-avatars.md): the tus upload with purpose
// avatar, user.setAvatar/removeAvatar, the avatar on every output that carries it, user.updated to every room
// showing the user, who may read an avatar, and the old bytes erased.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), files: {}, rateLimits: { avatarChangesPerUser: { points: 6, duration: 3600 } } });
});
afterAll(() => server?.dispose());

type Member = Awaited<ReturnType<typeof signUpClient>>;

async function avatarUpload(member: Member, bytes: Buffer = makePng(300, 200), name = 'me.png'): Promise<string> {
  const result = await tusUpload(server, member.token, { purpose: 'avatar', name, bytes });
  if (!result.ok) throw new Error(`upload refused: ${result.status} ${result.body}`);
  return result.attachmentId;
}

const get = (path: string, token: string | null) => fetch(new URL(path, server.url), { headers: token ? { Authorization: `Bearer ${token}` } : {} });
const storedNames = async (key: string) => (await readdir(server.files!.dir!)).filter((name) => name.startsWith(key));

/** Alice and Bob share a private room where Alice has written. */
async function pair() {
  const alice = await signUpClient(server, 'alice');
  const bob = await signUpClient(server, 'bob');
  const room = await alice.client.trpc.room.create.mutate({ name: roomName('faces'), kind: 'private' });
  await alice.client.trpc.room.invite.mutate({ roomId: room.id, userId: bob.user.id });
  await alice.client.trpc.chat.send.mutate({ roomId: room.id, text: 'hello' });
  return { alice, bob, roomId: room.id };
}

describe('setting an avatar', () => {
  it('crops the upload square, shows it on authors, members and search, and tells every open client', async () => {
    const { alice, bob, roomId } = await pair();
    const events = watchEvents(bob.client);
    await settle();
    const fileId = await avatarUpload(alice);
    const { avatar } = await alice.client.trpc.user.setAvatar.mutate({ fileId });
    expect(avatar).toBe(fileId);

    // One per room showing her: #everyone (every account is in it) and the private room.
    await expect.poll(() => events.durable().filter((e) => e.type === 'user.updated')).toEqual([
      expect.objectContaining({ type: 'user.updated', roomId: EVERYONE_ROOM_ID, user: { id: alice.user.id, username: alice.user.username, avatar } }),
      expect.objectContaining({ type: 'user.updated', roomId, user: { id: alice.user.id, username: alice.user.username, avatar } }),
    ]);
    const history = await bob.client.trpc.chat.history.query({ roomId });
    expect(history.messages.at(-1)?.author).toEqual({ id: alice.user.id, username: alice.user.username, avatar });
    const members = await bob.client.trpc.room.members.query({ roomId });
    expect(members.find((m) => m.id === alice.user.id)?.avatar).toBe(avatar);
    expect(members.find((m) => m.id === bob.user.id)).not.toHaveProperty('avatar');
    const found = await bob.client.trpc.user.search.query({ query: alice.user.username });
    expect(found[0]).toMatchObject({ id: alice.user.id, avatar });
    // A new message carries it too (the send's own answer and its event).
    const sent = await alice.client.trpc.chat.send.mutate({ roomId, text: 'new face' });
    expect(sent.author.avatar).toBe(avatar);

    // Any signed-in user reads it, by token or by an avatar ticket: 256 and 64 pixels square, WebP, no script.
    const large = await get(avatarPath(alice.user.id, avatar), bob.token);
    expect(large.status).toBe(200);
    expect(large.headers.get('content-type')).toBe('image/webp');
    expect(large.headers.get('x-content-type-options')).toBe('nosniff');
    expect(large.headers.get('content-security-policy')).toContain('sandbox');
    expect(await sharp(Buffer.from(await large.arrayBuffer())).metadata()).toMatchObject({ width: 256, height: 256, format: 'webp' });
    const stranger = await signUpClient(server, 'carol');
    const { ticket } = await stranger.client.trpc.user.avatarTicket.query();
    const small = await get(`${avatarPath(alice.user.id, avatar, 'small')}?ticket=${encodeURIComponent(ticket)}`, null);
    expect(small.status).toBe(200);
    expect(await sharp(Buffer.from(await small.arrayBuffer())).metadata()).toMatchObject({ width: 64, height: 64 });
    events.stop();
  });

  it('reaches rooms the user left but wrote in, and not rooms that never showed them', async () => {
    const { alice, bob, roomId } = await pair();
    const elsewhere = await bob.client.trpc.room.create.mutate({ name: roomName('other'), kind: 'private' });
    await alice.client.trpc.room.leave.mutate({ roomId });
    const events = watchEvents(bob.client);
    await settle();
    const { avatar } = await alice.client.trpc.user.setAvatar.mutate({ fileId: await avatarUpload(alice) });
    await expect.poll(() => events.durable().filter((e) => e.type === 'user.updated').map((e) => e.roomId)).toEqual([EVERYONE_ROOM_ID, roomId]);
    expect(events.durable().some((e) => 'roomId' in e && e.roomId === elsewhere.id)).toBe(false);
    expect((await bob.client.trpc.chat.history.query({ roomId })).messages[0]?.author.avatar).toBe(avatar);
    events.stop();
  });

  it('erases the old picture when it changes and when it is removed; old versions are 404', async () => {
    const { alice, bob, roomId } = await pair();
    const first = (await alice.client.trpc.user.setAvatar.mutate({ fileId: await avatarUpload(alice) })).avatar;
    expect(await storedNames(first)).toEqual(expect.arrayContaining([first, `${first}.thumb`]));
    const second = (await alice.client.trpc.user.setAvatar.mutate({ fileId: await avatarUpload(alice, makePng(120, 400)) })).avatar;
    await server.deps.fileErasure.settled();
    expect(await storedNames(first)).toEqual([]);
    expect((await get(avatarPath(alice.user.id, first), bob.token)).status).toBe(404);
    expect((await get(avatarPath(alice.user.id, second), bob.token)).status).toBe(200);

    const events = watchEvents(bob.client);
    await settle();
    expect(await alice.client.trpc.user.removeAvatar.mutate()).toEqual({ avatar: null });
    await server.deps.fileErasure.settled();
    expect(await storedNames(second)).toEqual([]);
    expect((await get(avatarPath(alice.user.id, second), bob.token)).status).toBe(404);
    await expect.poll(() => events.durable().filter((e) => e.type === 'user.updated' && e.roomId === roomId)).toEqual([
      expect.objectContaining({ roomId, user: { id: alice.user.id, username: alice.user.username } }),
    ]);
    expect((await bob.client.trpc.chat.history.query({ roomId })).messages.at(-1)?.author).toEqual({ id: alice.user.id, username: alice.user.username });
    // Removing none again changes nothing and tells no one.
    await alice.client.trpc.user.removeAvatar.mutate();
    await settle();
    expect(events.durable().filter((e) => e.type === 'user.updated')).toHaveLength(2);
    events.stop();
  });
});

describe('attacks on avatars', () => {
  it('refuses a non-image upload, another user’s upload, a room attachment and an id used twice', async () => {
    const { alice, bob, roomId } = await pair();
    const pdf = await tusUpload(server, alice.token, { purpose: 'avatar', name: 'x.png', bytes: makePdf() });
    expect(pdf).toMatchObject({ ok: false, status: 422 });
    const bobs = await avatarUpload(bob);
    expect(await codeOf(() => alice.client.trpc.user.setAvatar.mutate({ fileId: bobs }))).toBe('NOT_FOUND');
    const roomFile = await tusUpload(server, alice.token, { roomId, name: 'a.png', bytes: makePng(20, 20) });
    if (!roomFile.ok) throw new Error('upload refused');
    expect(await codeOf(() => alice.client.trpc.user.setAvatar.mutate({ fileId: roomFile.attachmentId }))).toBe('NOT_FOUND');
    expect(await codeOf(() => alice.client.trpc.user.setAvatar.mutate({ fileId: '../../etc/passwd' }))).toBe('BAD_REQUEST');
    const mine = await avatarUpload(alice);
    // An avatar upload cannot be sent into a room.
    expect(await codeOf(() => alice.client.trpc.chat.send.mutate({ roomId, text: 'x', attachmentIds: [mine] }))).toBe('BAD_REQUEST');
    await alice.client.trpc.user.setAvatar.mutate({ fileId: mine });
    expect(await codeOf(() => alice.client.trpc.user.setAvatar.mutate({ fileId: mine }))).toBe('NOT_FOUND');
  });

  it('serves nothing without credentials, with a file ticket, for a forged version or for an attachment id', async () => {
    const { alice, bob, roomId } = await pair();
    const { avatar } = await alice.client.trpc.user.setAvatar.mutate({ fileId: await avatarUpload(alice) });
    expect((await get(avatarPath(alice.user.id, avatar), null)).status).toBe(401);
    expect((await get(`${avatarPath(alice.user.id, avatar)}?ticket=forged`, null)).status).toBe(401);
    const file = await tusUpload(server, alice.token, { roomId, name: 'a.png', bytes: makePng(20, 20) });
    if (!file.ok) throw new Error('upload refused');
    await alice.client.trpc.chat.send.mutate({ roomId, text: 'pic', attachmentIds: [file.attachmentId] });
    const fileTicket = new URL((await bob.client.trpc.file.ticket.query({ attachmentId: file.attachmentId })).url, server.url).searchParams.get('ticket')!;
    expect((await get(`${avatarPath(alice.user.id, avatar)}?ticket=${fileTicket}`, null)).status).toBe(401);
    // An avatar ticket is no file ticket either.
    const { ticket } = await bob.client.trpc.user.avatarTicket.query();
    expect((await get(`/files/${file.attachmentId}?ticket=${ticket}`, null)).status).toBe(401);
    expect((await get(avatarPath(alice.user.id, 'f'.repeat(32)), bob.token)).status).toBe(404);
    expect((await get(avatarPath(bob.user.id, avatar), bob.token)).status).toBe(404);
    expect((await get(avatarPath(alice.user.id, file.attachmentId), bob.token)).status).toBe(404);
    expect((await get(`/files/${avatar}`, bob.token)).status).toBe(404);
    expect((await get(`/files/avatars/${alice.user.id}/../${avatar}`, bob.token)).status).toBe(404);
  });

  it('limits how often a user changes their picture', async () => {
    const carol = await signUpClient(server, 'carol');
    const codes: string[] = [];
    for (let i = 0; i < 7; i++) codes.push(await codeOf(() => carol.client.trpc.user.removeAvatar.mutate()));
    expect(codes.slice(0, 6)).toEqual(Array(6).fill('resolved'));
    expect(codes[6]).toBe('TOO_MANY_REQUESTS');
  });
});
