import { startTcpProxy, type TcpProxy } from '@chat/db/tcp-proxy';
import { createTestDatabase, type TestDatabase } from '@chat/db/testing';
import { TRPCClientError } from '@trpc/client';
import pino from 'pino';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { collect, signUpClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/testing';

// The server's database link goes through a proxy the test cuts: the refusals a PostgreSQL
// outage brings, on any machine (database-outage.test.ts stops a real server, where it can).
let db: TestDatabase;
let proxy: TcpProxy;
let server: TestServer;
const lines: { msg: string; refused?: number }[] = [];
beforeAll(async () => {
  db = await createTestDatabase(inject('adminDatabaseUrl'));
  const url = new URL(db.url);
  proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
  url.host = `127.0.0.1:${proxy.port}`;
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as (typeof lines)[number]) });
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), databaseUrl: url.toString(), logger });
});
afterAll(async () => {
  await server?.dispose();
  await proxy?.close();
  await db?.drop();
});

const codeOf = (error: unknown) => (error instanceof TRPCClientError ? (error.data as { code?: string; retryAfterSeconds?: number } | undefined) : undefined);

it('refuses calls that need the database with a retryable SERVICE_UNAVAILABLE, logs the outage once, and serves again after', async () => {
  const alice = await signUpClient(server, 'alice');
  const seen = collect<string>();
  await new Promise((onStarted) => alice.client.trpc.chat.onMessage.subscribe({}, { onStarted, onData: (e) => seen.push(e.data.id) }));
  const first = await alice.client.trpc.chat.send.mutate({ text: 'before', clientMessageId: 'm-1' });
  await expect.poll(() => seen.items).toEqual([first.id]);

  proxy.cut();
  const refusals = await Promise.all(
    Array.from({ length: 5 }, (_, i) => alice.client.trpc.chat.send.mutate({ text: `during ${i}`, clientMessageId: `d-${i}` }).then(() => null, codeOf)),
  );
  refusals.push(await alice.client.trpc.chat.history.query({ limit: 5 }).then(() => null, codeOf));
  expect(refusals.map((r) => [r?.code, r?.retryAfterSeconds])).toEqual(Array(6).fill(['SERVICE_UNAVAILABLE', 2]));
  // A replay needs the database too: the subscription says so rather than hanging.
  const replay = await new Promise<unknown>((resolve) => {
    alice.client.trpc.chat.onMessage.subscribe({ lastEventId: first.id }, { onError: resolve });
  });
  expect(codeOf(replay)?.code).toBe('SERVICE_UNAVAILABLE');
  const raw = await fetch(`${server.url}/trpc/chat.send`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${alice.token}` },
    body: JSON.stringify({ text: 'raw' }),
  });
  expect([raw.status, raw.headers.get('retry-after')]).toEqual([503, '2']);
  // The already open subscription is still there.
  proxy.restore();

  const after = await alice.client.trpc.chat.send.mutate({ text: 'after', clientMessageId: 'm-2' });
  await expect.poll(() => seen.items).toEqual([first.id, after.id]);
  expect(lines.filter((l) => l.msg === 'procedure failed')).toEqual([]);
  expect(lines.filter((l) => l.msg.startsWith('database outage began'))).toHaveLength(1);
  await expect.poll(() => lines.filter((l) => l.msg === 'database outage ended'), { timeout: 5_000 }).toHaveLength(1);
  expect(lines.find((l) => l.msg === 'database outage ended')?.refused).toBe(8);
  await alice.client.close();
});
