import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { makePdf, makePng, tusUpload } from '../../testing/files.test-helpers';
import { roomName } from '../../testing/rooms.test-helpers';
import { signUpClient } from '../../testing/test-client';
import { startTestServer, type TestServer } from '../../testing/testing';

// How browsers may keep files (docs/decisions/142-file-caching.md): an image is kept but asked for
// again on every use, so the access check runs each time and a removed member gets 404, not the copy;
// a download is never kept. Over real HTTP with the real server.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), files: {} });
});
afterAll(() => server?.dispose());

async function sharedFiles() {
  const alice = await signUpClient(server, 'cache');
  const bob = await signUpClient(server, 'cache');
  const room = await alice.client.trpc.room.create.mutate({ name: roomName('cache'), kind: 'private' });
  await alice.client.trpc.room.invite.mutate({ roomId: room.id, userId: bob.user.id });
  const ids: string[] = [];
  for (const file of [{ name: 'p.png', bytes: makePng(64, 48) }, { name: 'r.pdf', bytes: makePdf() }]) {
    const up = await tusUpload(server, alice.token, { roomId: room.id, ...file });
    if (!up.ok) throw new Error(up.body);
    ids.push(up.attachmentId);
  }
  await alice.client.trpc.chat.send.mutate({ roomId: room.id, text: 'files', attachmentIds: ids });
  return { alice, bob, roomId: room.id, imageId: ids[0]!, pdfId: ids[1]! };
}

const get = (path: string, headers: Record<string, string> = {}) => fetch(new URL(path, server.url), { headers });

it('lets a browser keep an image and its thumbnail only to revalidate them (private, no-cache, ETag), and answers 304 without the bytes', async () => {
  const { bob, imageId } = await sharedFiles();
  const ticket = await bob.client.trpc.file.ticket.query({ attachmentId: imageId });
  for (const url of [ticket.url, ticket.thumbnailUrl!]) {
    const first = await get(url);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{32}(\.thumb)?-\d+"$/);
    await first.arrayBuffer();
    const again = await get(url, { 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect((await again.arrayBuffer()).byteLength).toBe(0);
    expect(again.headers.get('etag')).toBe(etag);
    // Another version's tag gets the bytes.
    expect((await get(url, { 'If-None-Match': '"other-1"' })).status).toBe(200);
  }
  // The thumbnail and the image are distinct versions.
  const [a, b] = await Promise.all([get(ticket.url), get(ticket.thumbnailUrl!)]);
  expect(a.headers.get('etag')).not.toBe(b.headers.get('etag'));
});

it('never lets a browser or a cache keep a download (private, no-store, no ETag)', async () => {
  const { bob, pdfId } = await sharedFiles();
  const file = await get(`/files/${pdfId}`, { Authorization: `Bearer ${bob.token}` });
  expect(file.status).toBe(200);
  expect(file.headers.get('cache-control')).toBe('private, no-store');
  expect(file.headers.get('etag')).toBeNull();
  // A conditional request for it gets the file (never a 304 that would bless a kept copy).
  expect((await get(`/files/${pdfId}`, { Authorization: `Bearer ${bob.token}`, 'If-None-Match': '*' })).status).toBe(200);
});

it('answers a removed member’s revalidation with 404, so the browser drops its copy instead of showing it', async () => {
  const { alice, bob, roomId, imageId } = await sharedFiles();
  const auth = { Authorization: `Bearer ${bob.token}` };
  const first = await get(`/files/${imageId}`, auth);
  const etag = first.headers.get('etag')!;
  expect((await get(`/files/${imageId}`, { ...auth, 'If-None-Match': etag })).status).toBe(304);
  await alice.client.trpc.room.remove.mutate({ roomId, userId: bob.user.id });
  const refused = await get(`/files/${imageId}`, { ...auth, 'If-None-Match': etag });
  expect(refused.status).toBe(404);
  expect(refused.headers.get('cache-control')).toBe('no-store');
});
