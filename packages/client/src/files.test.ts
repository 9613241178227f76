import { Readable } from 'node:stream';
import { makePdf, makePng, startTestServer, type TestServer } from '@chat/server/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ChatClient, type ChatStreamEvent, createChatClient, FileTransferError } from './index';
import { startTcpProxy } from './testing';

// Issue 24 from a bot's side, over a real server: upload (tus, resumable), send, read back.

let server: TestServer;
const open: ChatClient[] = [];
beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), files: { maxFileBytes: 20 * 1024 * 1024 } });
});
afterAll(async () => {
  await Promise.all(open.map((c) => c.close()));
  await server?.dispose();
});

let counter = 0;
const uniqueName = (prefix: string) => `${prefix}${Date.now().toString(36).slice(-5)}${counter++}`;

async function connect(url = server.url) {
  const client = await createChatClient({ url, username: uniqueName('f'), password: 'correct horse battery', signup: true, retryDelayMs: () => 50 });
  open.push(client);
  return client;
}

/** A bot's private room with a reader in it. */
async function roomWithReader() {
  const bot = await connect();
  const reader = await connect();
  const room = await bot.room.create.mutate({ name: uniqueName('files'), kind: 'private' });
  await bot.room.invite.mutate({ roomId: room.id, userId: reader.me.id });
  return { bot, reader, roomId: room.id };
}

const bytesOf = async (response: Response) => Buffer.from(await response.arrayBuffer());

describe('client.files', () => {
  it('a bot uploads a file and an image and sends them; another client reads them in history and onEvent and downloads the same bytes', async () => {
    const { bot, reader, roomId } = await roomWithReader();
    const events: ChatStreamEvent[] = [];
    const subscription = reader.onEvent((event) => void events.push(event));
    const pdf = makePdf('from a bot');
    const png = makePng(48, 24);
    const progress: number[] = [];
    // The PDF as a stream (with its size), the image as a Blob: both inputs a bot is likely to have.
    const { attachmentId: pdfId } = await bot.files.upload({ roomId, name: 'report.pdf', data: Readable.from([pdf]), size: pdf.length, onProgress: (sent) => progress.push(sent) });
    const { attachmentId: imageId } = await bot.files.upload({ roomId, name: 'chart.png', data: new Blob([png]) });
    expect(progress.at(-1)).toBe(pdf.length);

    const sent = await bot.chat.send.mutate({ roomId, text: 'the weekly report', attachmentIds: [pdfId, imageId] });
    const expected = [
      { id: pdfId, name: 'report.pdf', type: 'application/pdf', size: pdf.length, kind: 'file' },
      { id: imageId, name: 'chart.png', type: expect.stringMatching(/^image\//), size: expect.any(Number), kind: 'image', width: 48, height: 24, animated: false },
    ];
    expect(sent.attachments).toEqual(expected);

    const history = await reader.chat.history.query({ roomId });
    expect(history.messages.at(-1)?.attachments).toEqual(expected);
    await expect.poll(() => events.find((e) => e.type === 'message.created' && e.message.id === sent.id), { timeout: 5_000 }).toBeTruthy();
    const created = events.find((e) => e.type === 'message.created' && e.message.id === sent.id) as Extract<ChatStreamEvent, { type: 'message.created' }>;
    expect(created.message.attachments).toEqual(expected);
    await subscription.unsubscribe();

    expect(await bytesOf(await reader.files.download(pdfId))).toEqual(pdf);
    const image = await reader.files.download(imageId);
    expect(image.headers.get('content-type')).toBe(sent.attachments![1]!.type);
    expect((await bytesOf(image)).length).toBe(sent.attachments![1]!.size);
    expect((await reader.files.download(imageId, { thumbnail: true })).headers.get('content-type')).toMatch(/^image\//);
  });

  it('an upload cut in the middle resumes from the server offset and completes with the same bytes', async () => {
    const { bot, reader, roomId } = await roomWithReader();
    const proxy = await startTcpProxy(Number(new URL(server.url).port));
    try {
      const through = await createChatClient({ url: proxy.url, token: await bot.auth.refresh.mutate().then((r) => r.token), retryDelayMs: () => 50 });
      open.push(through);
      // Random bytes: incompressible, and a pattern of our own nowhere else.
      const data = Buffer.from(Array.from({ length: 12 * 1024 * 1024 }, (_, i) => (i * 2654435761) >>> 24));
      const progress: number[] = [];
      let cutAt = -1;
      const done = through.files.upload({
        roomId,
        name: 'big.bin',
        data: Readable.from(data, { objectMode: false, highWaterMark: 64 * 1024 }),
        size: data.length,
        chunkSize: 1024 * 1024,
        onProgress: (sent) => {
          progress.push(sent);
          if (cutAt < 0 && sent >= 3 * 1024 * 1024) {
            cutAt = progress.length;
            void proxy.cut().then(() => setTimeout(() => void proxy.restore(), 300));
          }
        },
      });
      const { attachmentId } = await done;
      expect(cutAt).toBeGreaterThan(0);
      // After the cut it went on from what the server had, never from zero.
      expect(Math.min(...progress.slice(cutAt))).toBeGreaterThan(1024 * 1024);
      await bot.chat.send.mutate({ roomId, text: '', attachmentIds: [attachmentId] });
      expect((await bytesOf(await reader.files.download(attachmentId))).equals(data)).toBe(true);
    } finally {
      await proxy.close();
    }
  });

  it('a refused upload and an unreadable download reject with the server sentence and status', async () => {
    const { bot, roomId } = await roomWithReader();
    const outsider = await connect();
    const refused = await outsider.files.upload({ roomId, name: 'x.pdf', data: makePdf() }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(FileTransferError);
    expect((refused as FileTransferError).status).toBeGreaterThanOrEqual(400);
    expect((refused as FileTransferError).message).not.toMatch(/tus|stack|at /i);

    const { attachmentId } = await bot.files.upload({ roomId, name: 'mine.pdf', data: makePdf('mine') });
    await bot.chat.send.mutate({ roomId, text: 'private', attachmentIds: [attachmentId] });
    const notYours = await outsider.files.download(attachmentId).catch((e: unknown) => e);
    expect(notYours).toBeInstanceOf(FileTransferError);
    expect((notYours as FileTransferError).status).toBe(404);

    // Cancelling rejects and frees the upload on the server.
    const controller = new AbortController();
    const cancelled = bot.files.upload({ roomId, name: 'gone.bin', data: Buffer.alloc(4 * 1024 * 1024, 7), chunkSize: 256 * 1024, signal: controller.signal, onProgress: () => controller.abort() });
    await expect(cancelled).rejects.toThrow();
  });
});
