import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { makePng, tusUpload } from '../testing/files.test-helpers';
import { codeOf, roomName, sleep } from '../testing/rooms.test-helpers';
import { signUpClient } from '../testing/test-client';
import { type PreviewSites, type Site, startPreviewServer } from '../testing/preview-sites';
import { startTestServer, type TestServer } from '../testing/testing';

// Link preview images stored as files of their message (docs/decisions/141-preview-images-stored.md):
// the web's CSP (img-src 'self' data:) loads no image from the linked site, so the server fetches it
// under the SSRF rules, re-encodes it like an upload and serves it to the room's members only.

const MAX_IMAGE_BYTES = 256 * 1024;
const QUOTA = 2 * 1024 * 1024;

const withImage = (title: string, image: string) => `<html><head><title>${title}</title><meta property="og:image" content="${image}"></head></html>`;

let sites: PreviewSites;
let pages: Site;
let intranet: Site;
let server: TestServer;
let gpsPng: Buffer;

beforeAll(async () => {
  // A PNG carrying EXIF with a GPS position and a description: none of it may reach a reader.
  gpsPng = await sharp(makePng(320, 200))
    .png()
    .withExif({ IFD0: { ImageDescription: 'secret-location-marker' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' } })
    .toBuffer();
  if (!gpsPng.includes('secret-location-marker') || !(await sharp(gpsPng).metadata()).exif) throw new Error('the test image lost its EXIF before the test');
  sites = await startPreviewServer({
    intranet: (_path, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(makePng(10, 10)),
    pages: (path, res, privateSite) => {
      const html = (body: string) => res.writeHead(200, { 'content-type': 'text/html' }).end(body);
      const png = (bytes: Buffer) => res.writeHead(200, { 'content-type': 'image/png' }).end(bytes);
      if (path.startsWith('/photo')) return html(withImage('A photo', '/img/gps.png'));
      if (path === '/img/gps.png') return png(gpsPng);
      if (path.startsWith('/oversized')) return html(withImage('Oversized', '/img/big.png'));
      if (path === '/img/big.png') return png(Buffer.concat([makePng(16, 16), Buffer.alloc(MAX_IMAGE_BYTES * 2)]));
      if (path.startsWith('/not-image')) return html(withImage('Not an image', '/img/page.png'));
      if (path === '/img/page.png') return png(Buffer.from('<html><script>alert(1)</script></html>'));
      if (path.startsWith('/bomb')) return html(withImage('Bomb', '/img/bomb.png'));
      // Sniffs as a PNG, but its header claims 50,000 × 50,000: processUpload refuses it before decoding.
      if (path === '/img/bomb.png') return png(hugePngHeader());
      if (path.startsWith('/to-private')) return html(withImage('Redirected', '/img/redirect.png'));
      if (path === '/img/redirect.png') return res.writeHead(302, { location: `http://127.0.0.1:${privateSite.port}/x.png` }).end();
      res.writeHead(404).end();
    },
  });
  ({ pages, intranet } = sites);
  server = await startTestServer({
    adminDatabaseUrl: inject('adminDatabaseUrl'),
    linkPreviews: { network: sites.network, allowHttpImages: true, maxImageBytes: MAX_IMAGE_BYTES },
    files: { quotaBytes: QUOTA },
  });
});
afterAll(async () => {
  await server?.dispose();
  await sites?.close();
});

function hugePngHeader(): Buffer {
  const png = makePng(1, 1);
  // IHDR's width and height sit at bytes 16-23; the CRC no longer matches, as in a forged header.
  png.writeUInt32BE(50_000, 16);
  png.writeUInt32BE(50_000, 20);
  return png;
}

const at = (path: string) => sites.at(path);

async function trio() {
  const [a, b, c] = [await signUpClient(server), await signUpClient(server), await signUpClient(server)];
  const room = await a.client.trpc.room.create.mutate({ name: roomName('previews'), kind: 'private' });
  await a.client.trpc.room.invite.mutate({ roomId: room.id, userId: b.user.id });
  return { a, b, c, roomId: room.id };
}

/** The message's card once it arrived (history polled: the preview comes after the send). */
async function cardOf(reader: Awaited<ReturnType<typeof signUpClient>>, roomId: string, messageId: string) {
  const end = Date.now() + 8_000;
  for (;;) {
    const message = (await reader.client.trpc.chat.history.query({ roomId })).messages.find((m) => m.id === messageId);
    if (message?.preview) return { preview: message.preview, message };
    if (Date.now() > end) throw new Error('no preview came');
    await sleep(50);
  }
}

const get = (path: string) => fetch(new URL(path, server.url));

/** Names in the storage directory (the files of every test so far). */
const storedNames = async () => readdir(server.files!.dir!);

it('stores the card’s image as a file of the message, re-encoded without EXIF or GPS, readable by the room’s members only', async () => {
  const { a, b, c, roomId } = await trio();
  const sent = await a.client.trpc.chat.send.mutate({ roomId, text: `see ${at('/photo/1')}` });
  const { preview, message } = await cardOf(b, roomId, sent.id);
  // The page's URL keeps its meaning for old clients; the stored copy is named beside it.
  expect(preview.image).toMatchObject({ url: at('/img/gps.png'), width: 320, height: 200 });
  const attachmentId = preview.image!.attachmentId!;
  expect(attachmentId).toMatch(/^[0-9a-f]{32}$/);
  // Not one of the message's attachments, but charged to its author's quota (at its stored size).
  expect(message.attachments).toBeUndefined();

  const ticket = await b.client.trpc.file.ticket.query({ attachmentId });
  expect(ticket.thumbnailUrl).toBeDefined();
  const full = await get(ticket.url);
  expect(full.status).toBe(200);
  expect(full.headers.get('content-type')).toBe('image/png');
  const bytes = Buffer.from(await full.arrayBuffer());
  expect((await a.client.trpc.file.limits.query()).usedBytes).toBe(bytes.length);
  expect(bytes.includes('secret-location-marker')).toBe(false);
  expect(bytes.includes('eXIf')).toBe(false);
  const meta = await sharp(bytes).metadata();
  expect([meta.width, meta.height, meta.exif]).toEqual([320, 200, undefined]);
  const thumb = await get(ticket.thumbnailUrl!);
  expect([thumb.status, thumb.headers.get('content-type')]).toEqual([200, 'image/webp']);

  // Outside the room: as if it did not exist.
  expect(await codeOf(() => c.client.trpc.file.ticket.query({ attachmentId }))).toBe('NOT_FOUND');
  expect((await fetch(`${server.url}/files/${attachmentId}`, { headers: { Authorization: `Bearer ${c.token}` } })).status).toBe(404);

  // Removed from the room: the ticket they hold stops working, and no new one is given.
  await a.client.trpc.room.remove.mutate({ roomId, userId: b.user.id });
  expect((await get(ticket.url)).status).toBe(404);
  expect(await codeOf(() => b.client.trpc.file.ticket.query({ attachmentId }))).toBe('NOT_FOUND');

  // The message deleted: its image's bytes are erased too.
  expect(await storedNames()).toContain(attachmentId);
  await a.client.trpc.chat.delete.mutate({ messageId: sent.id });
  await server.deps.fileErasure.settled();
  expect((await storedNames()).filter((name) => name.startsWith(attachmentId))).toEqual([]);
});

it('keeps one stored copy per message: the same link in two rooms gives two files, each readable in its own room only', async () => {
  const first = await trio();
  const second = await trio();
  const one = await first.a.client.trpc.chat.send.mutate({ roomId: first.roomId, text: at('/photo/shared') });
  const two = await second.a.client.trpc.chat.send.mutate({ roomId: second.roomId, text: at('/photo/shared') });
  const idOne = (await cardOf(first.b, first.roomId, one.id)).preview.image!.attachmentId!;
  const idTwo = (await cardOf(second.b, second.roomId, two.id)).preview.image!.attachmentId!;
  expect(idOne).not.toBe(idTwo);
  // The page was fetched once (the card is cached), its image stored twice.
  expect(pages.hits.filter((h) => h === '/photo/shared')).toHaveLength(1);
  expect(await codeOf(() => second.b.client.trpc.file.ticket.query({ attachmentId: idOne }))).toBe('NOT_FOUND');
  expect(await codeOf(() => first.b.client.trpc.file.ticket.query({ attachmentId: idTwo }))).toBe('NOT_FOUND');
});

it('erases the stored image when the author removes the card, or an edit changes the link', async () => {
  const { a, b, roomId } = await trio();
  const removed = await a.client.trpc.chat.send.mutate({ roomId, text: at('/photo/removed') });
  const removedId = (await cardOf(b, roomId, removed.id)).preview.image!.attachmentId!;
  await a.client.trpc.chat.removePreview.mutate({ messageId: removed.id });
  expect(await codeOf(() => b.client.trpc.file.ticket.query({ attachmentId: removedId }))).toBe('NOT_FOUND');

  const edited = await a.client.trpc.chat.send.mutate({ roomId, text: at('/photo/before') });
  const beforeId = (await cardOf(b, roomId, edited.id)).preview.image!.attachmentId!;
  await a.client.trpc.chat.edit.mutate({ messageId: edited.id, text: `now ${at('/photo/after')}` });
  const end = Date.now() + 8_000;
  let afterId: string | undefined;
  while (!afterId || afterId === beforeId) {
    if (Date.now() > end) throw new Error('no new card');
    await sleep(50);
    afterId = (await b.client.trpc.chat.history.query({ roomId })).messages.find((m) => m.id === edited.id)?.preview?.image?.attachmentId;
  }
  expect(await codeOf(() => b.client.trpc.file.ticket.query({ attachmentId: beforeId }))).toBe('NOT_FOUND');
  expect(await codeOf(() => b.client.trpc.file.ticket.query({ attachmentId: afterId }))).not.toBe('NOT_FOUND');
  await server.deps.fileErasure.settled();
  const names = await storedNames();
  expect(names.filter((n) => n.startsWith(removedId) || n.startsWith(beforeId))).toEqual([]);
  expect(names).toContain(afterId);
});

it('gives a card without a stored image, and leaves no file behind, for an oversized, non-image, pixel-bomb or redirected-to-private image', async () => {
  const { a, b, roomId } = await trio();
  const before = new Set(await storedNames());
  const cases = ['/oversized/1', '/not-image/1', '/bomb/1', '/to-private/1'];
  const sent = [];
  // Each send answers at once, whatever becomes of its image.
  for (const path of cases) sent.push(await a.client.trpc.chat.send.mutate({ roomId, text: at(path) }));
  const cards = await Promise.all(sent.map((m) => cardOf(b, roomId, m.id)));
  const [oversized, notImage, bomb, toPrivate] = cards.map((c) => c.preview);
  expect(oversized).toMatchObject({ title: 'Oversized' });
  expect(oversized!.image).toBeUndefined();
  expect(notImage!.image).toBeUndefined();
  // It sniffed as a PNG, so the page's URL stays (as before); no stored copy, as processUpload refused it.
  expect(bomb!.image).toEqual({ url: at('/img/bomb.png') });
  expect(toPrivate!.image).toBeUndefined();
  expect(intranet.hits).toEqual([]);
  await server.deps.fileErasure.settled();
  expect((await storedNames()).filter((n) => !before.has(n))).toEqual([]);
  const rows = await server.orm.em.fork().getConnection().execute<{ n: number }[]>(`select count(*)::int as n from attachments where status = 'preview' and room_id = ?`, [roomId]);
  expect(rows[0]?.n).toBe(0);
});

it('charges the stored image to its author’s quota: an author whose quota is full gets the card without a stored image', async () => {
  const { a, b, roomId } = await trio();
  const filler = await tusUpload(server, a.token, { roomId, name: 'filler.bin', bytes: randomBytes(QUOTA - 1024) });
  expect(filler.ok).toBe(true);
  const sent = await a.client.trpc.chat.send.mutate({ roomId, text: at('/photo/over-quota') });
  const { preview } = await cardOf(b, roomId, sent.id);
  expect(preview.image).toMatchObject({ url: at('/img/gps.png') });
  expect(preview.image!.attachmentId).toBeUndefined();
  expect((await a.client.trpc.file.limits.query()).usedBytes).toBe(QUOTA - 1024);
});
