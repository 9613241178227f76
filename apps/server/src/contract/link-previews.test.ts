import type http from 'node:http';
import type { ChatEvent } from '@chat/api';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadEnv } from '../config/env';
import { codeOf, roomName, settle, sleep, watchEvents } from '../testing/rooms.test-helpers';
import { signUpClient } from '../testing/test-client';
import { type PreviewSites, type Site, startPreviewServer } from '../testing/preview-sites';
import { startTestServer, type TestServer } from '../testing/testing';

// Link previews through the real server and client (docs/decisions/138-link-previews.md). The
// "internet" is a page server on 127.0.0.2, the one loopback address this test's network allows; a
// "private" service on 127.0.0.1 counts every request that reaches it (none may).

type Preview = Extract<ChatEvent, { type: 'message.preview' }>;

const html = (res: http.ServerResponse, body: string) => res.writeHead(200, { 'content-type': 'text/html' }).end(body);

let sites: PreviewSites;
let pages: Site;
let intranet: Site;
let server: TestServer;
let off: TestServer;

beforeAll(async () => {
  sites = await startPreviewServer({
    intranet: (_path, res) => html(res, '<title>internal admin</title>'),
    pages: (path, res, privateSite) => {
      // Slow on purpose: the send's answer must not wait for it.
      if (path.startsWith('/story')) return void setTimeout(() => html(res, `<head><meta property="og:title" content="Story ${path}"><meta property="og:description" content="What happened"></head>`), 1_500);
      if (path === '/other') return html(res, '<title>Other page</title>');
      if (path === '/to-private') return res.writeHead(302, { location: `http://127.0.0.1:${privateSite.port}/` }).end();
      res.writeHead(404).end();
    },
  });
  ({ pages, intranet } = sites);
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), linkPreviews: { network: sites.network } });
  off = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl') });
});
afterAll(async () => {
  await server?.dispose();
  await off?.dispose();
  await sites?.close();
});

const at = (path: string) => sites.at(path);
const previews = (events: ChatEvent[]) => events.filter((e): e is Preview => e.type === 'message.preview');

async function until(check: () => boolean, ms = 5_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(20);
  }
}

/** A private room with `a` and `b`, and `c` outside it. */
async function trio(on: TestServer = server) {
  const [a, b, c] = [await signUpClient(on), await signUpClient(on), await signUpClient(on)];
  const room = await a.client.trpc.room.create.mutate({ name: roomName(), kind: 'private' });
  await a.client.trpc.room.invite.mutate({ roomId: room.id, userId: b.user.id });
  return { a, b, c, roomId: room.id };
}

describe('link previews', () => {
  it('answers the send at once, then delivers the card to the room’s members only, and history carries it', async () => {
    const { a, b, c, roomId } = await trio();
    const seenByB = watchEvents(b.client);
    const seenByC = watchEvents(c.client);
    await settle();
    const started = Date.now();
    const sent = await a.client.trpc.chat.send.mutate({ roomId, text: `look ${at('/story/1')}.` });
    // The page takes 1.5 s: the answer came without waiting for it, and has no preview yet.
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(sent.preview).toBeUndefined();
    await until(() => previews(seenByB.durable()).length === 1);
    const card = { url: at('/story/1'), title: 'Story /story/1', description: 'What happened' };
    expect(previews(seenByB.durable())[0]).toMatchObject({ roomId, messageId: sent.id, preview: card });
    const history = await b.client.trpc.chat.history.query({ roomId });
    expect(history.messages.find((m) => m.id === sent.id)?.preview).toEqual(card);
    await sleep(200);
    expect(previews(seenByC.durable())).toEqual([]);
    // A replay from before the send renders the event with the card too.
    const replay = watchEvents(b.client, '0');
    await until(() => previews(replay.durable()).length === 1);
    expect(previews(replay.durable())[0]!.preview).toEqual(card);
    for (const w of [seenByB, seenByC, replay]) w.stop();
  });

  it('lets the author remove the card (others get FORBIDDEN) and keeps it removed across an edit with the same link', async () => {
    const { a, b, roomId } = await trio();
    const seenByB = watchEvents(b.client);
    await settle();
    const sent = await a.client.trpc.chat.send.mutate({ roomId, text: `read ${at('/story/2')}` });
    await until(() => previews(seenByB.durable()).length === 1);
    expect(await codeOf(() => b.client.trpc.chat.removePreview.mutate({ messageId: sent.id }))).toBe('FORBIDDEN');
    const removed = await a.client.trpc.chat.removePreview.mutate({ messageId: sent.id });
    expect(removed.preview).toBeUndefined();
    await until(() => previews(seenByB.durable()).length === 2);
    expect(previews(seenByB.durable())[1]).toMatchObject({ messageId: sent.id, preview: null });
    const hits = pages.hits.length;
    await a.client.trpc.chat.edit.mutate({ messageId: sent.id, text: `read this ${at('/story/2')}` });
    await sleep(300);
    expect(pages.hits.length).toBe(hits);
    expect((await b.client.trpc.chat.history.query({ roomId })).messages.find((m) => m.id === sent.id)?.preview).toBeUndefined();
    seenByB.stop();
  });

  it('fetches again when an edit changes the first link, drops the card when the link is gone, and a delete erases it', async () => {
    const { a, b, roomId } = await trio();
    const seenByB = watchEvents(b.client);
    await settle();
    const sent = await a.client.trpc.chat.send.mutate({ roomId, text: `one ${at('/story/3')}` });
    await until(() => previews(seenByB.durable()).length === 1);
    await a.client.trpc.chat.edit.mutate({ messageId: sent.id, text: `two ${at('/other')}` });
    await until(() => previews(seenByB.durable()).length === 2);
    expect(previews(seenByB.durable())[1]!.preview?.title).toBe('Other page');
    const noLink = await a.client.trpc.chat.edit.mutate({ messageId: sent.id, text: 'no link now' });
    expect(noLink.preview).toBeUndefined();
    await a.client.trpc.chat.edit.mutate({ messageId: sent.id, text: `back ${at('/other')}` });
    await until(() => previews(seenByB.durable()).length === 3);
    await a.client.trpc.chat.delete.mutate({ messageId: sent.id });
    const rows = await server.orm.em.fork().execute<{ preview: unknown }[]>('select preview from messages where id = ?', [sent.id]);
    expect(rows[0]!.preview).toBeNull();
    expect(await codeOf(() => a.client.trpc.chat.removePreview.mutate({ messageId: sent.id }))).toBe('BAD_REQUEST');
    seenByB.stop();
  });

  it('makes no card for private addresses, by literal, by name or by redirect, and never reaches them', async () => {
    const { a, b, roomId } = await trio();
    const seenByB = watchEvents(b.client);
    await settle();
    for (const link of [`http://127.0.0.1:${intranet.port}/`, 'http://169.254.169.254/latest/meta-data/', 'http://[::1]/', `http://[::ffff:127.0.0.1]:${intranet.port}/`, `http://intranet.test:${intranet.port}/`, at('/to-private')]) {
      await a.client.trpc.chat.send.mutate({ roomId, text: `see ${link}` });
    }
    await sleep(800);
    expect(previews(seenByB.durable())).toEqual([]);
    expect(intranet.hits).toEqual([]);
    seenByB.stop();
  });

  it('a member removed before the card arrived does not get it by a replay from before (decision 123)', async () => {
    const { a, b, roomId } = await trio();
    const { cursor } = await b.client.trpc.chat.eventCursor.query();
    const seenByA = watchEvents(a.client);
    await settle();
    const sent = await a.client.trpc.chat.send.mutate({ roomId, text: `late ${at('/story/late')}` });
    await a.client.trpc.room.remove.mutate({ roomId, userId: b.user.id });
    // The page answers after 1.5 s: the card is written after b's access ended.
    await until(() => previews(seenByA.durable()).length === 1);
    const replay = watchEvents(b.client, cursor);
    await until(() => replay.durable().some((e) => e.type === 'room.left'));
    // The message's state changed after b left, so the replay leaves it out (its text and card alike).
    expect(replay.durable().filter((e) => e.type === 'message.created' && e.message.id === sent.id)).toEqual([]);
    expect(previews(replay.durable())).toEqual([]);
    seenByA.stop();
    replay.stop();
  });

  it('refuses removePreview for a message outside the caller’s rooms (NOT_FOUND) and bad ids (BAD_REQUEST)', async () => {
    const { a, c, roomId } = await trio();
    const sent = await a.client.trpc.chat.send.mutate({ roomId, text: 'plain' });
    expect(await codeOf(() => c.client.trpc.chat.removePreview.mutate({ messageId: sent.id }))).toBe('NOT_FOUND');
    expect(await codeOf(() => a.client.trpc.chat.removePreview.mutate({ messageId: 'x' }))).toBe('BAD_REQUEST');
  });
});

describe('LINK_PREVIEWS=off', () => {
  it('fetches nothing and sends no message.preview', async () => {
    const { a, b, roomId } = await trio(off);
    const seenByB = watchEvents(b.client);
    await settle();
    const hits = pages.hits.length;
    await a.client.trpc.chat.send.mutate({ roomId, text: `look ${at('/story/off')}` });
    await sleep(1_200);
    expect(pages.hits.length).toBe(hits);
    expect(previews(seenByB.durable())).toEqual([]);
    seenByB.stop();
  });

  it('is read from the environment: on by default, off when set, anything else refused', () => {
    expect(loadEnv({}).LINK_PREVIEWS).toBe('on');
    expect(loadEnv({ LINK_PREVIEWS: 'off' }).LINK_PREVIEWS).toBe('off');
    expect(() => loadEnv({ LINK_PREVIEWS: 'maybe' })).toThrow(/LINK_PREVIEWS must be on or off/);
  });
});
