import { readdir } from 'node:fs/promises';
import { request } from 'node:http';
import type { ChatEvent } from '@chat/api';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeHugePngHeader, makePdf, makePng, rawTus, tusUpload } from '../testing/files.test-helpers';
import { codeOf, roomName, settle, watchEvents } from '../testing/rooms.test-helpers';
import { createTestClient, signUpClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/testing';

// Issue 24 over real HTTP and sockets: tus uploads, attachments on messages, downloads and who may read them,
// erasure (docs/decisions/137-files-served-and-read.md).

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), files: {} });
});
afterAll(() => server?.dispose());

type Member = Awaited<ReturnType<typeof signUpClient>>;

/** Alice's private room with Bob in it. */
async function privateRoom() {
  const alice = await signUpClient(server, 'alice');
  const bob = await signUpClient(server, 'bob');
  const room = await alice.client.trpc.room.create.mutate({ name: roomName('files'), kind: 'private' });
  await alice.client.trpc.room.invite.mutate({ roomId: room.id, userId: bob.user.id });
  return { alice, bob, roomId: room.id };
}

async function upload(member: Member, roomId: string, name: string, bytes: Buffer): Promise<string> {
  const result = await tusUpload(server, member.token, { roomId, name, bytes });
  if (!result.ok) throw new Error(`upload refused: ${result.status} ${result.body}`);
  expect(result.attachmentId).toMatch(/^[0-9a-f]{32}$/);
  return result.attachmentId;
}

const get = (path: string, token: string | null, headers: Record<string, string> = {}) =>
  fetch(new URL(path, server.url), { headers: { ...headers, ...(token ? { Authorization: `Bearer ${token}` } : {}) } });

/** What the files' directory holds for one attachment (the object, its tus info, its thumbnail). */
const storedNames = async (id: string) => (await readdir(server.files!.dir!)).filter((name) => name.startsWith(id));

describe('two members exchange an image and a PDF in a private room', () => {
  it('uploads, sends with attachmentIds, and the other reads them in history, the event and the download', async () => {
    const { alice, bob, roomId } = await privateRoom();
    const events = watchEvents(bob.client);
    await settle();
    const png = makePng(64, 32);
    const pdf = makePdf();
    const imageId = await upload(alice, roomId, 'holiday.png', png);
    const pdfId = await upload(alice, roomId, 'report ü.pdf', pdf);

    const sent = await alice.client.trpc.chat.send.mutate({ roomId, text: 'photos and the report', attachmentIds: [imageId, pdfId] });
    expect(sent.attachments).toEqual([
      { id: imageId, name: 'holiday.png', type: expect.stringMatching(/^image\//), size: expect.any(Number), kind: 'image', width: 64, height: 32, animated: false },
      { id: pdfId, name: 'report ü.pdf', type: 'application/pdf', size: pdf.length, kind: 'file' },
    ]);

    const history = await bob.client.trpc.chat.history.query({ roomId });
    expect(history.messages.at(-1)?.attachments).toEqual(sent.attachments);
    const found = await bob.client.trpc.chat.search.query({ query: 'photos', roomId });
    expect(found.results[0]?.message.attachments).toEqual(sent.attachments);
    await expect.poll(() => events.durable().find((e) => e.type === 'message.created'), { timeout: 5_000 }).toBeTruthy();
    const created = events.durable().find((e): e is Extract<ChatEvent, { type: 'message.created' }> => e.type === 'message.created');
    expect(created?.message.attachments).toEqual(sent.attachments);
    events.stop();

    // The PDF with Bob's token: the bytes as sent, as a download that can never render in our origin.
    const file = await get(`/files/${pdfId}`, bob.token);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer())).toEqual(pdf);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('content-disposition')).toBe(`attachment; filename="report _.pdf"; filename*=UTF-8''report%20%C3%BC.pdf`);
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(file.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(file.headers.get('cache-control')).toBe('private, no-store');

    // A range of it.
    const part = await get(`/files/${pdfId}`, bob.token, { Range: 'bytes=5-14' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 5-14/${pdf.length}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(pdf.subarray(5, 15));

    // The image through a ticket, as an <img> reads it: shown inline, the re-encoded bytes.
    const ticket = await bob.client.trpc.file.ticket.query({ attachmentId: imageId });
    expect(ticket.url).toMatch(new RegExp(`^/files/${imageId}\\?ticket=`));
    expect(Date.parse(ticket.expiresAt)).toBeGreaterThan(Date.now());
    const image = await get(ticket.url, null);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe(sent.attachments![0]!.type);
    expect(image.headers.get('content-disposition')).toMatch(/^inline; /);
    expect(image.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect((await image.arrayBuffer()).byteLength).toBe(sent.attachments![0]!.size);
    const thumbnail = await get(ticket.thumbnailUrl!, null);
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get('content-type')).toMatch(/^image\//);
  });

  it('a message of files only may have no text, and an old-style message carries no attachments field', async () => {
    const { alice, roomId } = await privateRoom();
    const id = await upload(alice, roomId, 'a.pdf', makePdf('a'));
    const onlyFiles = await alice.client.trpc.chat.send.mutate({ roomId, text: '  ', attachmentIds: [id] });
    expect(onlyFiles.text).toBe('');
    expect(onlyFiles.attachments).toHaveLength(1);
    const plain = await alice.client.trpc.chat.send.mutate({ roomId, text: 'no files' });
    expect('attachments' in plain).toBe(false);
    expect(await codeOf(() => alice.client.trpc.chat.send.mutate({ roomId, text: ' ' }))).toBe('BAD_REQUEST');
  });

  it('an edit keeps the attachments', async () => {
    const { alice, bob, roomId } = await privateRoom();
    const id = await upload(alice, roomId, 'keep.pdf', makePdf('keep'));
    const sent = await alice.client.trpc.chat.send.mutate({ roomId, text: 'first', attachmentIds: [id] });
    const edited = await alice.client.trpc.chat.edit.mutate({ messageId: sent.id, text: 'second' });
    expect(edited.attachments).toEqual(sent.attachments);
    expect((await get(`/files/${id}`, bob.token)).status).toBe(200);
  });
});

describe('chat.send with attachmentIds', () => {
  it('takes only the sender’s own finished uploads to that room, each once; a retry by clientMessageId is the same message', async () => {
    const { alice, bob, roomId } = await privateRoom();
    const other = await alice.client.trpc.room.create.mutate({ name: roomName('other'), kind: 'private' });
    const mine = await upload(alice, roomId, 'mine.pdf', makePdf('mine'));
    const bobs = await upload(bob, roomId, 'bobs.pdf', makePdf('bobs'));
    const elsewhere = await upload(alice, other.id, 'elsewhere.pdf', makePdf('elsewhere'));

    expect(await codeOf(() => alice.client.trpc.chat.send.mutate({ roomId, text: 'x', attachmentIds: [bobs] }))).toBe('BAD_REQUEST');
    expect(await codeOf(() => alice.client.trpc.chat.send.mutate({ roomId, text: 'x', attachmentIds: [elsewhere] }))).toBe('BAD_REQUEST');
    expect(await codeOf(() => alice.client.trpc.chat.send.mutate({ roomId, text: 'x', attachmentIds: ['0'.repeat(32)] }))).toBe('BAD_REQUEST');
    expect(await codeOf(() => alice.client.trpc.chat.send.mutate({ roomId, text: 'x', attachmentIds: [mine, mine] }))).toBe('BAD_REQUEST');
    expect(await codeOf(() => alice.client.trpc.chat.send.mutate({ roomId, text: 'x', attachmentIds: Array.from({ length: 11 }, () => mine) }))).toBe('BAD_REQUEST');
    // A refused send left the upload free to send.
    const first = await alice.client.trpc.chat.send.mutate({ roomId, text: 'x', attachmentIds: [mine], clientMessageId: 'files-1' });
    const retry = await alice.client.trpc.chat.send.mutate({ roomId, text: 'x', attachmentIds: [mine], clientMessageId: 'files-1' });
    expect(retry.id).toBe(first.id);
    expect(retry.attachments).toEqual(first.attachments);
    // Sent once: not again in another message.
    expect(await codeOf(() => alice.client.trpc.chat.send.mutate({ roomId, text: 'again', attachmentIds: [mine] }))).toBe('BAD_REQUEST');
  });

  it('two sends racing for the same upload: one gets it, the other is refused', async () => {
    const { alice, roomId } = await privateRoom();
    const id = await upload(alice, roomId, 'race.pdf', makePdf('race'));
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => codeOf(() => alice.client.trpc.chat.send.mutate({ roomId, text: `race ${i}`, attachmentIds: [id] }))),
    );
    expect(results.filter((r) => r === 'resolved')).toHaveLength(1);
    expect(results.filter((r) => r === 'BAD_REQUEST')).toHaveLength(4);
  });
});

describe('who may read a file', () => {
  it('a non-member, a removed member and a logged-out client get 404, 404 and 401 for the same URL', async () => {
    const { alice, bob, roomId } = await privateRoom();
    const carol = await signUpClient(server, 'carol');
    const id = await upload(alice, roomId, 'secret.pdf', makePdf('secret'));
    // Not sent yet: only Alice may read it.
    expect((await get(`/files/${id}`, bob.token)).status).toBe(404);
    expect((await get(`/files/${id}`, alice.token)).status).toBe(200);
    await alice.client.trpc.chat.send.mutate({ roomId, text: 'secret', attachmentIds: [id] });
    const url = `/files/${id}`;
    expect((await get(url, bob.token)).status).toBe(200);
    const bobsTicket = await bob.client.trpc.file.ticket.query({ attachmentId: id });

    const outsider = await get(url, carol.token);
    expect(outsider.status).toBe(404);
    expect(await outsider.text()).toBe('File not found\n');
    expect(await codeOf(() => carol.client.trpc.file.ticket.query({ attachmentId: id }))).toBe('NOT_FOUND');
    // A file that does not exist reads the same as one the reader may not know of.
    expect((await get(`/files/${'f'.repeat(32)}`, carol.token)).status).toBe(404);

    const anonymous = await get(url, null);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).toMatch(/^Log in to read files/);
    expect((await get(url, 'not-a-token')).status).toBe(401);

    await alice.client.trpc.room.remove.mutate({ roomId, userId: bob.user.id });
    expect((await get(url, bob.token)).status).toBe(404);
    // A ticket issued while Bob was a member stops working with his membership.
    expect((await get(bobsTicket.url, null)).status).toBe(404);
  });

  it('refuses a forged ticket, an expired one, one for another file, and an access token used as a ticket', async () => {
    const { alice, bob, roomId } = await privateRoom();
    const a = await upload(alice, roomId, 'a.pdf', makePdf('a'));
    const b = await upload(alice, roomId, 'b.pdf', makePdf('b'));
    await alice.client.trpc.chat.send.mutate({ roomId, text: 'two', attachmentIds: [a, b] });
    const { url } = await bob.client.trpc.file.ticket.query({ attachmentId: a });
    const ticket = new URL(url, server.url).searchParams.get('ticket')!;
    expect((await get(url, null)).status).toBe(200);

    const [head, payload, signature] = ticket.split('.');
    const forged = `${head}.${payload}.${signature!.slice(0, -4)}AAAA`;
    expect((await get(`/files/${a}?ticket=${forged}`, null)).status).toBe(401);
    // The same ticket on another file's URL.
    const misdirected = await get(`/files/${b}?ticket=${ticket}`, null);
    expect(misdirected.status).toBe(401);
    expect(await misdirected.text()).toMatch(/expired or is not valid/);
    expect((await get(`/files/${a}?ticket=${bob.token}`, null)).status).toBe(401);
    // A ticket whose claims were edited (another user's id) fails its signature.
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const edited = Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 3600 })).toString('base64url');
    expect((await get(`/files/${a}?ticket=${head}.${edited}.${signature}`, null)).status).toBe(401);
  });

  it('an expired ticket is refused', async () => {
    const short = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), files: {}, fileTicketTtlSeconds: 2 });
    try {
      const alice = await signUpClient(short, 'alice');
      const room = await alice.client.trpc.room.create.mutate({ name: roomName('short'), kind: 'private' });
      const sent = await tusUpload(short, alice.token, { roomId: room.id, name: 'x.pdf', bytes: makePdf('x') });
      if (!sent.ok) throw new Error(sent.body);
      const { url } = await alice.client.trpc.file.ticket.query({ attachmentId: sent.attachmentId });
      expect((await fetch(new URL(url, short.url))).status).toBe(200);
      await new Promise((r) => setTimeout(r, 3_100));
      expect((await fetch(new URL(url, short.url))).status).toBe(401);
    } finally {
      await short.dispose();
    }
  });
});

describe('uploads', () => {
  it('refuses an upload without a token (401), into a room one is not in (404), and another’s upload (404)', async () => {
    const { alice, roomId } = await privateRoom();
    const carol = await signUpClient(server, 'carol');
    const anonymous = await rawTus(server, null).create(10, { filename: 'x', roomId });
    expect(anonymous.status).toBe(401);
    const outsider = await rawTus(server, carol.token).create(10, { filename: 'x', roomId });
    expect(outsider.status).toBe(404);
    expect(await outsider.text()).toBe('Room not found\n');
    expect((await rawTus(server, alice.token).create(10, { filename: 'x' })).status).toBe(400);

    const created = await rawTus(server, alice.token).create(10, { filename: 'x', roomId });
    expect(created.status).toBe(201);
    const location = created.headers.get('location')!;
    expect(location).toMatch(/^\/files\/uploads\/[0-9a-f]{32}$/);
    expect((await rawTus(server, carol.token).head(location)).status).toBe(404);
    expect((await rawTus(server, carol.token).patch(location, 0, Buffer.alloc(10))).status).toBe(404);
    expect((await rawTus(server, carol.token).remove(location)).status).toBe(404);
    expect((await rawTus(server, null).head(location)).status).toBe(401);
  });

  it('an upload cut in the middle resumes from the offset HEAD gives, and ends with the right bytes', async () => {
    const { alice, bob, roomId } = await privateRoom();
    const bytes = Buffer.alloc(512 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7) % 251;
    const tus = rawTus(server, alice.token);
    const location = (await tus.create(bytes.length, { filename: 'big.bin', roomId })).headers.get('location')!;

    // Half the body, then the connection drops.
    await new Promise<void>((resolve) => {
      const req = request(new URL(location, server.url), {
        method: 'PATCH',
        headers: {
          Authorization: `Bearer ${alice.token}`,
          'Tus-Resumable': '1.0.0',
          'Upload-Offset': '0',
          'Content-Type': 'application/offset+octet-stream',
          'Content-Length': String(bytes.length),
        },
      });
      req.on('error', () => resolve());
      req.on('close', () => resolve());
      req.write(bytes.subarray(0, bytes.length / 2), () => setTimeout(() => req.destroy(), 200));
    });

    let offset = 0;
    await expect
      .poll(async () => {
        const head = await tus.head(location);
        offset = Number(head.headers.get('upload-offset'));
        return head.status === 200 && offset > 0;
      }, { timeout: 10_000, interval: 100 })
      .toBe(true);
    expect(offset).toBeLessThanOrEqual(bytes.length / 2);
    const rest = await tus.patch(location, offset, bytes.subarray(offset));
    expect(rest.status).toBe(204);
    const id = rest.headers.get('chat-attachment-id')!;
    expect(location.endsWith(id)).toBe(true);

    await alice.client.trpc.chat.send.mutate({ roomId, text: 'big', attachmentIds: [id] });
    const file = await get(`/files/${id}`, bob.token);
    expect(Buffer.from(await file.arrayBuffer())).toEqual(bytes);
    expect(file.headers.get('content-type')).toBe('application/octet-stream');
  });

  it('a hostile image (a 50,000×50,000 PNG header) gets a 422 with a sentence and leaves no bytes', async () => {
    const { alice, roomId } = await privateRoom();
    const bomb = makeHugePngHeader();
    const tus = rawTus(server, alice.token);
    const created = await tus.create(bomb.length, { filename: 'bomb.png', roomId });
    const location = created.headers.get('location')!;
    const id = location.split('/').at(-1)!;
    const refused = await tus.patch(location, 0, bomb);
    expect(refused.status).toBe(422);
    expect((await refused.text()).length).toBeGreaterThan(10);
    expect(await storedNames(id)).toEqual([]);
    expect((await get(`/files/${id}`, alice.token)).status).toBe(404);
    expect(await codeOf(() => alice.client.trpc.chat.send.mutate({ roomId, text: 'x', attachmentIds: [id] }))).toBe('BAD_REQUEST');
  });

  it('a cancelled upload (tus DELETE) leaves no row and no bytes', async () => {
    const { alice, roomId } = await privateRoom();
    const tus = rawTus(server, alice.token);
    const location = (await tus.create(100, { filename: 'x.bin', roomId })).headers.get('location')!;
    const id = location.split('/').at(-1)!;
    await tus.patch(location, 0, Buffer.alloc(50, 1));
    expect((await tus.remove(location)).status).toBe(204);
    await server.deps.fileErasure.settled();
    expect(await storedNames(id)).toEqual([]);
    expect((await tus.head(location)).status).toBe(404);
  });
});

describe('erasure', () => {
  it('deleting the message erases its files: rows, bytes on disk, and every URL', async () => {
    const { alice, bob, roomId } = await privateRoom();
    const image = await upload(alice, roomId, 'gone.png', makePng(40, 40));
    const pdf = await upload(alice, roomId, 'gone.pdf', makePdf('gone'));
    const sent = await alice.client.trpc.chat.send.mutate({ roomId, text: 'soon gone', attachmentIds: [image, pdf] });
    expect(await storedNames(image)).toEqual(expect.arrayContaining([image, `${image}.thumb`]));
    expect(await storedNames(pdf)).toContain(pdf);

    const deleted = await alice.client.trpc.chat.delete.mutate({ messageId: sent.id });
    expect(deleted.attachments).toBeUndefined();
    await server.deps.fileErasure.settled();
    expect(await storedNames(image)).toEqual([]);
    expect(await storedNames(pdf)).toEqual([]);
    expect((await get(`/files/${pdf}`, bob.token)).status).toBe(404);
    expect((await get(`/files/${image}/thumbnail`, alice.token)).status).toBe(404);
    const history = await bob.client.trpc.chat.history.query({ roomId });
    expect(history.messages.find((m) => m.id === sent.id)).toMatchObject({ text: '', deleted: expect.anything() });
    expect(history.messages.find((m) => m.id === sent.id)?.attachments).toBeUndefined();
  });

  it('a moderator’s delete and a ban’s purge erase the files too, unsent uploads included', async () => {
    const owner = await signUpClient(server, 'owner');
    await server.orm.em.fork().execute(`update users set role = 'owner' where id = ?`, [owner.user.id]);
    const mallory = await signUpClient(server, 'mallory');
    const room = await owner.client.trpc.room.create.mutate({ name: roomName('moderated'), kind: 'private' });
    await owner.client.trpc.room.invite.mutate({ roomId: room.id, userId: mallory.user.id });
    const first = await upload(mallory, room.id, 'first.pdf', makePdf('first'));
    const sent = await mallory.client.trpc.chat.send.mutate({ roomId: room.id, text: 'one', attachmentIds: [first] });
    await owner.client.trpc.chat.delete.mutate({ messageId: sent.id, reason: 'spam' });
    await server.deps.fileErasure.settled();
    expect(await storedNames(first)).toEqual([]);

    const second = await upload(mallory, room.id, 'second.pdf', makePdf('second'));
    await mallory.client.trpc.chat.send.mutate({ roomId: room.id, text: 'two', attachmentIds: [second] });
    const unsent = await upload(mallory, room.id, 'unsent.pdf', makePdf('unsent'));
    await owner.client.trpc.admin.ban.mutate({ userId: mallory.user.id, reason: 'spam', purge: true });
    await server.deps.fileErasure.settled();
    expect(await storedNames(second)).toEqual([]);
    expect(await storedNames(unsent)).toEqual([]);
    expect((await get(`/files/${second}`, owner.token)).status).toBe(404);
  });

  it('taking a finished upload back (DELETE before sending) frees its quota and erases it', async () => {
    const { alice, roomId } = await privateRoom();
    const pdf = makePdf('take back');
    const id = await upload(alice, roomId, 'back.pdf', pdf);
    expect((await alice.client.trpc.file.limits.query()).usedBytes).toBe(pdf.length);
    expect((await rawTus(server, alice.token).remove(`/files/uploads/${id}`)).status).toBe(204);
    await server.deps.fileErasure.settled();
    expect(await storedNames(id)).toEqual([]);
    expect((await alice.client.trpc.file.limits.query()).usedBytes).toBe(0);
    expect(await codeOf(() => alice.client.trpc.chat.send.mutate({ roomId, text: 'x', attachmentIds: [id] }))).toBe('BAD_REQUEST');
  });

  it('uploads never sent are swept after their time, rows and bytes', async () => {
    const { alice, roomId } = await privateRoom();
    const id = await upload(alice, roomId, 'forgotten.pdf', makePdf('forgotten'));
    expect(await storedNames(id)).toContain(id);
    await new Promise((r) => setTimeout(r, 1_100));
    await server.deps.fileErasure.sweep(1);
    expect(await storedNames(id)).toEqual([]);
    expect((await get(`/files/${id}`, alice.token)).status).toBe(404);
  });
});

describe('file.limits', () => {
  it('says the size limit, the quota, what the caller uses and the upload rate', async () => {
    const { alice, roomId } = await privateRoom();
    const before = await alice.client.trpc.file.limits.query();
    expect(before).toEqual({ maxFileBytes: 25 * 1024 * 1024, quotaBytes: 1024 * 1024 * 1024, usedBytes: 0, uploadsPerMinute: expect.any(Number) });
    const pdf = makePdf('count me');
    await upload(alice, roomId, 'count.pdf', pdf);
    expect((await alice.client.trpc.file.limits.query()).usedBytes).toBe(pdf.length);
    expect(await codeOf(() => createTestClient(server, null).trpc.file.limits.query())).toBe('UNAUTHORIZED');
  });
});
