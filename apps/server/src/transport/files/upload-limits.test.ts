import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { makePdf, rawTus } from '../../testing/files.test-helpers';
import { roomName } from '../../testing/rooms.test-helpers';
import { signUpClient } from '../../testing/test-client';
import { startTestServer, type TestServer } from '../../testing/testing';

// The safety limits of uploads (MAX_FILE_BYTES, FILE_QUOTA_BYTES, UPLOADS_PER_MINUTE), small here, over real HTTP.

const KB = 1024;
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), files: { maxFileBytes: 64 * KB, quotaBytes: 100 * KB, uploadsPerMinute: 3 } });
});
afterAll(() => server?.dispose());

async function member() {
  const user = await signUpClient(server, 'limits');
  const room = await user.client.trpc.room.create.mutate({ name: roomName('limits'), kind: 'private' });
  return { ...user, roomId: room.id, tus: rawTus(server, user.token) };
}

it('refuses an Upload-Length over the size limit with 413 and a sentence naming the limit', async () => {
  const { tus, roomId } = await member();
  const refused = await tus.create(64 * KB + 1, { filename: 'big.bin', roomId });
  expect(refused.status).toBe(413);
  expect(await refused.text()).toBe('Files can be at most 64 KB; this one is 65 KB\n');
  expect((await tus.create(64 * KB, { filename: 'ok.bin', roomId })).status).toBe(201);
  // No way round it: no length (deferred) and nonsense lengths are refused too.
  expect((await tus.create(null, { filename: 'x', roomId })).status).toBe(400);
  expect((await tus.create(-1, { filename: 'x', roomId })).status).toBe(400);
});

it('refuses more bytes than the Upload-Length declared', async () => {
  const { tus, roomId } = await member();
  const location = (await tus.create(10, { filename: 'x.bin', roomId })).headers.get('location')!;
  const over = await tus.patch(location, 0, Buffer.alloc(20));
  expect(over.status).toBeGreaterThanOrEqual(400);
  expect(over.status).toBeLessThan(500);
});

it('refuses an upload over the quota with 413, counting uploads in progress at their declared size, even when started at once', async () => {
  const { tus, roomId } = await member();
  // Three uploads of 40 KB started together: the quota (100 KB) holds two.
  const results = await Promise.all([1, 2, 3].map((i) => tus.create(40 * KB, { filename: `q${i}.bin`, roomId })));
  expect(results.map((r) => r.status).sort()).toEqual([201, 201, 413]);
  const refusal = await results.find((r) => r.status === 413)!.text();
  expect(refusal).toMatch(/^Your files use 80 KB of your 100 KB; this one \(40 KB\) does not fit/);
});

it('refuses uploads over the rate with 429 and Retry-After', async () => {
  const { tus, roomId, client } = await member();
  const pdf = makePdf();
  for (let i = 0; i < 3; i++) expect((await tus.create(pdf.length, { filename: `r${i}.pdf`, roomId })).status).toBe(201);
  const refused = await tus.create(pdf.length, { filename: 'r4.pdf', roomId });
  expect(refused.status).toBe(429);
  expect(await refused.text()).toMatch(/^You are uploading files too fast; try again in \d+ s\n$/);
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  expect((await client.trpc.file.limits.query()).uploadsPerMinute).toBe(3);
});
