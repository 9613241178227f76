import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { ATTACHMENT_ID_HEADER } from '@chat/api/schemas';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import sharp from 'sharp';
import { makePng, rawTus } from '../testing/files.test-helpers';
import { codeOf, roomName, sleep } from '../testing/rooms.test-helpers';
import { signUpClient } from '../testing/test-client';
import { type ScratchRedis, startScratchRedis } from '../testing/test-redis';
import { postgresBinariesAvailable, type ScratchPostgres, startScratchPostgres } from '../testing/test-postgres';
import { startTestServer, type TestServer } from '../testing/testing';

// Uploads when a dependency dies (issue 24): PostgreSQL stopped (a cluster of this test's own) and
// Redis killed (a redis-server of its own) in the middle of tus uploads. The uploader gets a 503 with
// Retry-After and a sentence, never a 500 or a hang; nothing is attached to a message half-way; and
// the upload resumes from the offset the server kept once the dependency is back.

const SIZE = 1024 * 1024;
const HALF = SIZE / 2;

async function until<T>(what: string, probe: () => Promise<T | null>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function uploader(server: TestServer, bytes: Buffer = randomBytes(SIZE)) {
  const user = await signUpClient(server, 'faulty');
  const room = await user.client.trpc.room.create.mutate({ name: roomName('faults'), kind: 'private' });
  const tus = rawTus(server, user.token);
  const created = await tus.create(bytes.length, { filename: 'data.bin', roomId: room.id });
  expect(created.status).toBe(201);
  return { ...user, roomId: room.id, tus, bytes, location: created.headers.get('location')! };
}

/** A PATCH of `bytes` whose body is sent in two parts with `between` awaited in the middle (a fault mid-request). */
function patchAcross(server: TestServer, token: string, location: string, offset: number, bytes: Buffer, between: () => Promise<void>) {
  return new Promise<{ status: number; body: string; retryAfter: string | undefined; attachmentId: string | undefined }>((resolve, reject) => {
    const req = request(new URL(location, server.url), {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${token}`, 'Tus-Resumable': '1.0.0', 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream', 'Content-Length': String(bytes.length) },
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body, retryAfter: res.headers['retry-after'] as string | undefined, attachmentId: res.headers[ATTACHMENT_ID_HEADER.toLowerCase()] as string | undefined }),
      );
    });
    req.on('error', reject);
    const cut = Math.floor(bytes.length / 2);
    req.write(bytes.subarray(0, cut), () => {
      void between().then(
        () => req.end(bytes.subarray(cut)),
        (error: unknown) => reject(error as Error),
      );
    });
  });
}

const hasPostgres = postgresBinariesAvailable('files-faults.test.ts');

describe.runIf(hasPostgres)('PostgreSQL stopped during uploads', () => {
  let postgres: ScratchPostgres;
  let server: TestServer;
  beforeAll(async () => {
    postgres = await startScratchPostgres();
    server = await startTestServer({ adminDatabaseUrl: postgres.adminUrl, files: {} });
  }, 60_000);
  afterAll(async () => {
    await server?.dispose().catch(() => undefined);
    await postgres?.dispose();
  });

  it('answers the upload’s next request with 503 and Retry-After, attaches nothing, and resumes from the kept offset once it is back', async () => {
    const { tus, bytes, location, token, client, roomId } = await uploader(server);
    expect((await tus.patch(location, 0, bytes.subarray(0, HALF))).status).toBe(204);
    const attachmentId = location.split('/').pop()!;

    await postgres.stop();
    try {
      const refused = await tus.patch(location, HALF, bytes.subarray(HALF));
      expect(refused.status).toBe(503);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await refused.text()).toMatch(/^The database is unavailable; try again in a moment/);
      expect((await tus.head(location)).status).toBe(503);
      // A download is refused the same way, and a send cannot take the unfinished upload.
      expect((await fetch(`${server.url}/files/${attachmentId}`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(503);
      expect(await codeOf(() => client.trpc.chat.send.mutate({ roomId, text: 'x', attachmentIds: [attachmentId] }))).toBe('SERVICE_UNAVAILABLE');
    } finally {
      await postgres.start();
    }

    // Back: the server kept what it had (the offset), and the rest completes the file.
    const offset = await until('the database back', async () => {
      const head = await tus.head(location);
      return head.status === 200 ? Number(head.headers.get('upload-offset')) : null;
    });
    expect(offset).toBe(HALF);
    const finished = await tus.patch(location, HALF, bytes.subarray(HALF));
    expect(finished.status).toBe(204);
    expect(finished.headers.get(ATTACHMENT_ID_HEADER)).toBe(attachmentId);
    const sent = await client.trpc.chat.send.mutate({ roomId, text: 'after the outage', attachmentIds: [attachmentId] });
    expect(sent.attachments?.map((a) => a.id)).toEqual([attachmentId]);
    const read = await fetch(`${server.url}/files/${attachmentId}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(Buffer.from(await read.arrayBuffer()).equals(bytes)).toBe(true);
  }, 120_000);

  it.each([
    { what: 'a file', bytes: () => randomBytes(SIZE) },
    // An image is re-encoded in place before the row is marked ready: the resume must not append to it.
    { what: 'an image', bytes: () => makePng(700, 500) },
  ])('when it stops while the last bytes of $what arrive, answers 503, and the finished upload can be completed after', async ({ what, bytes: make }) => {
    const { tus, bytes, location, token, client, roomId } = await uploader(server, make());
    const attachmentId = location.split('/').pop()!;
    // The last PATCH passes its checks, then PostgreSQL stops before the upload's row can be marked ready.
    const last = await patchAcross(server, token, location, 0, bytes, () => postgres.stop());
    try {
      expect(last.status).toBe(503);
      expect(last.attachmentId).toBeUndefined();
      expect(Number(last.retryAfter)).toBeGreaterThan(0);
    } finally {
      await postgres.start();
    }
    await until('the database back', async () => ((await tus.head(location)).status === 200 ? true : null));
    // Nothing was attached, and the upload is not ready: a send with it is refused.
    expect(await codeOf(() => client.trpc.chat.send.mutate({ roomId, text: 'x', attachmentIds: [attachmentId] }))).toBe('BAD_REQUEST');
    // The client resumes as tus does: HEAD for the offset, then PATCH from there (nothing left to send).
    const offset = Number((await tus.head(location)).headers.get('upload-offset'));
    const resumed = await tus.patch(location, offset, bytes.subarray(offset));
    expect(resumed.status).toBe(204);
    expect(resumed.headers.get(ATTACHMENT_ID_HEADER)).toBe(attachmentId);
    const sent = await client.trpc.chat.send.mutate({ roomId, text: 'completed', attachmentIds: [attachmentId] });
    expect(sent.attachments?.map((a) => a.id)).toEqual([attachmentId]);
    const read = Buffer.from(await (await fetch(`${server.url}/files/${attachmentId}`, { headers: { Authorization: `Bearer ${token}` } })).arrayBuffer());
    if (what === 'a file') expect(read.equals(bytes)).toBe(true);
    else {
      expect(sent.attachments![0]).toMatchObject({ kind: 'image', width: 700, height: 500 });
      expect((await sharp(read).metadata()).width).toBe(700);
    }
  }, 120_000);
});

describe('Redis killed during uploads', () => {
  let redis: ScratchRedis | null = null;
  let server: TestServer;
  beforeAll(async () => {
    redis = await startScratchRedis();
    server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), redisUrl: redis.url, redisCommandTimeoutMs: 300, files: { uploadsPerMinute: 20 } });
  });
  afterAll(async () => {
    await server?.dispose();
    await redis?.kill();
  });

  it('finishes the uploads under way and starts new ones, with bounded waits: Redis holds only limits and the bus', async () => {
    const first = await uploader(server);
    expect((await first.tus.patch(first.location, 0, first.bytes.subarray(0, HALF))).status).toBe(204);
    await redis!.kill();

    const started = Date.now();
    const finished = await first.tus.patch(first.location, HALF, first.bytes.subarray(HALF));
    expect(finished.status).toBe(204);
    const attachmentId = finished.headers.get(ATTACHMENT_ID_HEADER)!;
    // A new upload is charged to the rate limit's in-memory insurance while Redis is gone.
    const second = await first.tus.create(10, { filename: 'b.bin', roomId: first.roomId });
    expect(second.status).toBe(201);
    expect(Date.now() - started).toBeLessThan(3_000);
    const sent = await first.client.trpc.chat.send.mutate({ roomId: first.roomId, text: 'no redis', attachmentIds: [attachmentId] });
    expect(sent.attachments?.map((a) => a.id)).toEqual([attachmentId]);
    expect((await fetch(`${server.url}/files/${attachmentId}`, { headers: { Authorization: `Bearer ${first.token}` } })).status).toBe(200);
  }, 60_000);
});
