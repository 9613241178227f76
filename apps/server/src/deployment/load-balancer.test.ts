import type { ChatMessage, PresenceUpdate } from '@chat/api';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { NGINX_BINARY, startLoadBalancer, type TestLoadBalancer } from '../testing/nginx';
import { collect, createTestClient, signUpClient } from '../testing/test-client';
import { redisAvailable, TEST_REDIS_URL } from '../testing/test-redis';
import { startTestServer, type TestServer } from '../testing/testing';

// The README's scale-out topology, for real: deploy/nginx.conf in front of two instances sharing
// PostgreSQL and Redis. Only the upstream addresses and the listen port are rewritten.
const NGINX = NGINX_BINARY;
const REDIS_URL = TEST_REDIS_URL;
const hasRedis = await redisAvailable('load-balancer.test.ts');
if (!NGINX && process.env.CI) throw new Error('nginx is missing: .ci/run installs nginx-light');
if (!NGINX) console.warn('load-balancer.test.ts skipped: install nginx (apt-get install nginx-light) to run it');

let a: TestServer;
let b: TestServer;
let lb: TestLoadBalancer;

beforeAll(async () => {
  if (!NGINX || !hasRedis) return;
  const shared = { redisUrl: REDIS_URL, redisPrefix: `test:${randomBytes(6).toString('hex')}:`, jwtSecret: randomBytes(32).toString('base64url') };
  a = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), ...shared });
  b = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), databaseUrl: a.databaseUrl, ...shared });
  lb = await startLoadBalancer([a.port, b.port]);
}, 60_000);

afterAll(async () => {
  await lb?.stop();
  await b?.dispose();
  await a?.dispose();
});

describe.skipIf(!NGINX || !hasRedis)('two instances behind deploy/nginx.conf', () => {
  it('chat works through the load balancer, and survives an instance shutting down', async () => {
    const alice = await signUpClient(lb, 'alice');
    const bob = await signUpClient(lb, 'bob');
    const aliceSees = collect<ChatMessage>();
    const bobSees = collect<ChatMessage>();
    const presence = collect<PresenceUpdate>();
    // Round-robin spreads these sockets over both instances.
    const subs = [
      alice.client.trpc.chat.onMessage.subscribe({}, { onData: (e) => aliceSees.push(e.data) }),
      bob.client.trpc.chat.onMessage.subscribe({}, { onData: (e) => bobSees.push(e.data) }),
      bob.client.trpc.chat.onPresence.subscribe(undefined, { onData: (e) => presence.push(e) }),
    ];
    await new Promise((r) => setTimeout(r, 500));
    const sent = [await alice.client.trpc.chat.send.mutate({ text: 'hi bob' }), await bob.client.trpc.chat.send.mutate({ text: 'hi alice' })];
    await expect.poll(() => bobSees.items.map((m) => m.id)).toEqual(sent.map((m) => m.id));
    await expect.poll(() => aliceSees.items.map((m) => m.id)).toEqual(sent.map((m) => m.id));
    const found = await bob.client.trpc.user.search.query({ query: 'alice' });
    expect(found.find((u) => u.id === alice.user.id)?.online).toBe(true);

    // Instance A shuts down gracefully: its clients are told to reconnect and land on B.
    await a.stop();
    for (let i = 0; i < 5; i++) sent.push(await alice.client.trpc.chat.send.mutate({ text: `while failing over ${i}` }));
    await expect.poll(() => bobSees.items.map((m) => m.id), { timeout: 15_000 }).toEqual(sent.map((m) => m.id));
    await expect.poll(() => aliceSees.items.map((m) => m.id), { timeout: 15_000 }).toEqual(sent.map((m) => m.id));
    subs.forEach((s) => s.unsubscribe());
    await Promise.all([alice.client.close(), bob.client.close(), createTestClient(lb, null).close()]);
    await a.start();
  }, 60_000);
});
