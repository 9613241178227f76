import { readdir } from 'node:fs/promises';
import { avatarPath } from '@chat/api/schemas';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makePng, tusUpload } from '../testing/files.test-helpers';
import { runUserRole } from '../testing/moderation.test-helpers';
import { codeOf, roomName, settle, watchEvents } from '../testing/rooms.test-helpers';
import { createTestClient, signUpClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/testing';

// auth.deleteAccount over real HTTP and sockets (issue 24, docs/decisions/144-account-deletion.md): the password,
// the last owner, sessions and sockets ended, messages deleted, files and avatar unreachable and erased, the
// name kept from impersonators, and what the others' clients hear.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), files: {}, rateLimits: { accountDeletionsPerUser: { points: 3, duration: 3600 } } });
});
afterAll(() => server?.dispose());

type Member = Awaited<ReturnType<typeof signUpClient>>;

async function upload(member: Member, file: { roomId: string } | { purpose: 'avatar' }): Promise<string> {
  const result = await tusUpload(server, member.token, { ...file, name: 'pic.png', bytes: makePng(80, 60) });
  if (!result.ok) throw new Error(`upload refused: ${result.status} ${result.body}`);
  return result.attachmentId;
}
const get = (path: string, token: string | null) => fetch(new URL(path, server.url), { headers: token ? { Authorization: `Bearer ${token}` } : {} });
const stored = async (key: string) => (await readdir(server.files!.dir!)).filter((name) => name.startsWith(key));

describe('deleting one’s account', () => {
  it('needs the password, then ends every session, deletes messages, erases files and avatar, and tells the others', async () => {
    const alice = await signUpClient(server, 'alice');
    const bob = await signUpClient(server, 'bob');
    const room = await alice.client.trpc.room.create.mutate({ name: roomName('bye'), kind: 'private' });
    await alice.client.trpc.room.invite.mutate({ roomId: room.id, userId: bob.user.id });
    const fileId = await upload(alice, { roomId: room.id });
    const sent = await alice.client.trpc.chat.send.mutate({ roomId: room.id, text: 'my holiday', attachmentIds: [fileId] });
    const unsent = await upload(alice, { roomId: room.id });
    const { avatar } = await alice.client.trpc.user.setAvatar.mutate({ fileId: await upload(alice, { purpose: 'avatar' }) });
    // A second device of Alice's, with its socket open.
    const phone = createTestClient(server, (await createTestClient(server, null).trpc.auth.login.mutate({ username: alice.user.username, password: alice.password })).token);
    const phoneEvents = watchEvents(phone);
    const bobEvents = watchEvents(bob.client);
    await settle();
    expect(phoneEvents.errors).toEqual([]);
    for (const key of [fileId, unsent, avatar]) expect(await stored(key)).not.toEqual([]);

    expect(await codeOf(() => alice.client.trpc.auth.deleteAccount.mutate({ password: 'not my password' }))).toBe('FORBIDDEN');
    expect(await codeOf(() => alice.client.trpc.auth.me.query())).toBe('resolved');
    expect(await alice.client.trpc.auth.deleteAccount.mutate({ password: alice.password })).toBeNull();

    // Every token and socket of hers is refused or closed.
    expect(await codeOf(() => alice.client.trpc.auth.me.query())).toBe('UNAUTHORIZED');
    expect(await codeOf(() => phone.trpc.chat.send.mutate({ roomId: room.id, text: 'still here?' }))).toBe('UNAUTHORIZED');
    await expect.poll(() => phoneEvents.errors.length, { timeout: 5_000 }).toBeGreaterThan(0);
    expect(await codeOf(() => createTestClient(server, null).trpc.auth.login.mutate({ username: alice.user.username, password: alice.password }))).toBe('UNAUTHORIZED');

    // Her files and avatar: 404 for everyone, bytes gone.
    expect((await get(`/files/${fileId}`, bob.token)).status).toBe(404);
    expect((await get(avatarPath(alice.user.id, avatar), bob.token)).status).toBe(404);
    await server.deps.fileErasure.settled();
    for (const key of [fileId, unsent, avatar]) expect(await stored(key)).toEqual([]);

    // Bob's client hears the anonymised name, the delete and the leave; history agrees.
    const anonymous = expect.stringMatching(/^deleted user [0-9a-f]{12}$/);
    await expect
      .poll(() => bobEvents.durable().filter((e) => 'roomId' in e && e.roomId === room.id).map((e) => e.type))
      .toEqual(['user.updated', 'message.deleted', 'room.left']);
    expect(bobEvents.durable().find((e) => e.type === 'user.updated' && e.roomId === room.id)).toMatchObject({ user: { id: alice.user.id, username: anonymous } });
    const history = await bob.client.trpc.chat.history.query({ roomId: room.id });
    const gone = history.messages.find((m) => m.id === sent.id)!;
    expect(gone).toMatchObject({ text: '', deleted: { by: 'author' }, author: { id: alice.user.id, username: anonymous } });
    expect(gone).not.toHaveProperty('attachments');
    expect((await bob.client.trpc.room.members.query({ roomId: room.id })).map((m) => m.id)).toEqual([bob.user.id]);
    expect(await bob.client.trpc.user.search.query({ query: 'deleted user' })).toEqual([]);

    // Her name (and its look-alikes) cannot be taken to pass as her.
    const anon = createTestClient(server, null);
    for (const name of [alice.user.username, alice.user.username.toUpperCase(), alice.user.username.replace(/l/g, 'I')]) {
      expect(await codeOf(() => anon.trpc.auth.signup.mutate({ username: name, password: 'correct horse battery' }))).toBe('CONFLICT');
    }
    phoneEvents.stop();
    bobEvents.stop();
  });

  it('refuses the last owner, and lets an owner go once another remains', async () => {
    const first = await signUpClient(server, 'owner');
    const second = await signUpClient(server, 'owner');
    // Whoever else the suite made owner, these two are the only owners after this.
    expect((await runUserRole(server.databaseUrl, first.user.username, 'owner')).code).toBe(0);
    const owners = await first.client.trpc.admin.users.query({ query: '' });
    for (const other of owners.users.filter((u) => u.role === 'owner' && u.id !== first.user.id)) {
      await first.client.trpc.admin.setRole.mutate({ userId: other.id, role: 'member' });
    }
    expect(await codeOf(() => first.client.trpc.auth.deleteAccount.mutate({ password: first.password }))).toBe('FORBIDDEN');
    expect(await codeOf(() => first.client.trpc.auth.me.query())).toBe('resolved');
    await first.client.trpc.admin.setRole.mutate({ userId: second.user.id, role: 'owner' });
    // Both at once: exactly one may go.
    const both = await Promise.all([first, second].map((o) => codeOf(() => o.client.trpc.auth.deleteAccount.mutate({ password: o.password }))));
    expect(both.sort()).toEqual(['FORBIDDEN', 'resolved']);
  });

  it('is rate-limited, and refuses input that is not a password', async () => {
    const carol = await signUpClient(server, 'carol');
    expect(await codeOf(() => carol.client.trpc.auth.deleteAccount.mutate({ password: '' }))).toBe('BAD_REQUEST');
    expect(await codeOf(() => carol.client.trpc.auth.deleteAccount.mutate({ password: 'x'.repeat(10_000) }))).toBe('BAD_REQUEST');
    expect(await codeOf(() => carol.client.trpc.auth.deleteAccount.mutate({ password: carol.password, userId: 'someone else' } as never))).toBe('BAD_REQUEST');
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push(await codeOf(() => carol.client.trpc.auth.deleteAccount.mutate({ password: 'wrong' })));
    expect(codes).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'TOO_MANY_REQUESTS']);
    expect(await codeOf(() => carol.client.trpc.auth.me.query())).toBe('resolved');
  });
});
