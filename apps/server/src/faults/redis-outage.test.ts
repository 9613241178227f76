import type { AppRouter } from '@chat/api';
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CLOSE_CODES } from '@chat/api';
import { liveSocket, signUpClient } from '../testing/test-client';
import { type ScratchRedis, startScratchRedis } from '../testing/test-redis';
import type { TestServer } from '../testing/testing';
import { startTwoInstances } from '../testing/two-instances';

// Issue 13.1: with Redis dead, chat goes on (sends, history, new sockets, logins) and a logout
// is still honoured on every instance. This file runs its own redis-server and kills it; the
// machine's Redis is never touched.

const SYNC_MS = 300;
const REDIS_TIMEOUT_MS = 300;
/** Far above REDIS_TIMEOUT_MS and a login's hashing; before the fix a login took 6.5 s and sends failed. */
const BOUND_MS = 3_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, predicate: () => boolean | Promise<boolean>, ms = 5_000) {
  const end = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}
const http = (server: Pick<TestServer, 'url'>, token: string | null) =>
  createTRPCClient<AppRouter>({ links: [httpLink({ url: `${server.url}/trpc`, headers: token ? { authorization: `Bearer ${token}` } : {} })] });
const codeOf = async (call: Promise<unknown>) =>
  call.then(
    () => 'OK',
    (error: unknown) => (error instanceof TRPCClientError ? String(error.data?.code) : String(error)),
  );
/** Runs `call` and returns its outcome and how long it took. */
async function timed(call: () => Promise<unknown>) {
  const started = Date.now();
  const code = await codeOf(call());
  return { code, ms: Date.now() - started };
}

let redis: ScratchRedis;
let deployment: Awaited<ReturnType<typeof startTwoInstances>> | undefined;
let a: TestServer;
let b: TestServer;
beforeAll(async () => {
  redis = await startScratchRedis();
  deployment = await startTwoInstances({ adminDatabaseUrl: inject('adminDatabaseUrl'), redisUrl: redis.url, sessionTiming: { syncMs: SYNC_MS }, redisCommandTimeoutMs: REDIS_TIMEOUT_MS });
  ({ a, b } = deployment);
});
afterAll(async () => {
  await deployment?.dispose();
  await redis?.kill();
});

describe('Redis killed under two instances', () => {
  it('sends, history, new sockets and logins keep working with bounded waits, and a logout on A is honoured on B', async () => {
    const alice = await signUpClient(a);
    const bob = await signUpClient(b);
    // Bob's second session, its token used on B (so B has it cached) with a socket there.
    const bobOnB = await http(b, null).auth.login.mutate({ username: bob.user.username, password: bob.password });
    expect(await codeOf(http(b, bobOnB.token).auth.me.query())).toBe('OK');
    const bobSocket = liveSocket(b, bobOnB.token);
    await until('bob’s socket open', () => bobSocket.state.opens === 1);

    await redis.kill();
    await sleep(200);

    // Sends and history on both instances.
    for (const [server, user] of [[a, alice], [b, bob]] as const) {
      const send = await timed(() => http(server, user.token).chat.send.mutate({ text: `during the outage via ${server === a ? 'A' : 'B'}` }));
      expect(send).toMatchObject({ code: 'OK' });
      expect(send.ms).toBeLessThan(BOUND_MS);
      const history = await timed(() => http(server, user.token).chat.history.query({}));
      expect(history).toMatchObject({ code: 'OK' });
      expect(history.ms).toBeLessThan(BOUND_MS);
    }
    // A login (rate limits fall back to memory) and a fresh sign-up.
    const login = await timed(() => http(a, null).auth.login.mutate({ username: alice.user.username, password: alice.password }));
    expect(login).toMatchObject({ code: 'OK' });
    expect(login.ms).toBeLessThan(BOUND_MS);
    const carol = await signUpClient(b);

    // A new socket opens and gets messages sent on the other instance (through the database).
    const aliceSocket = liveSocket(a, alice.token);
    await until('a new socket during the outage', () => aliceSocket.state.opens === 1, BOUND_MS);
    await sleep(300);
    await http(b, carol.token).chat.send.mutate({ text: 'from B to a socket on A' });
    await until('delivery across instances without Redis', () => aliceSocket.state.messages.includes('from B to a socket on A'));

    // Bob logs that session out on A: B learns it from the database within its sync period.
    const logoutAt = Date.now();
    await http(a, bobOnB.token).auth.logout.mutate();
    await until('B closes the logged-out socket', () => bobSocket.state.closeCodes.includes(CLOSE_CODES.tokenRevoked), SYNC_MS * 10);
    expect(await codeOf(http(b, bobOnB.token).auth.me.query())).toBe('UNAUTHORIZED');
    expect(Date.now() - logoutAt).toBeLessThan(SYNC_MS * 10);
    // Bob's other session was not touched.
    expect(await codeOf(http(b, bob.token).auth.me.query())).toBe('OK');

    // Redis back: still working.
    await redis.start();
    await until('bus healthy again', () => a.deps.bus.healthy() && b.deps.bus.healthy(), 10_000);
    expect(await codeOf(http(b, alice.token).chat.send.mutate({ text: 'after the outage' }))).toBe('OK');
    await until('delivery after the outage', () => aliceSocket.state.messages.includes('after the outage'));
    await Promise.all([aliceSocket.close(), bobSocket.close()]);
  }, 40_000);
});
