import { generateVapidKeys, type PushPayload } from '@chat/api';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { browserPushKeys, type FakePushService, fakePushNetwork, startFakePushService } from '../testing/push-service.test-helpers';
import { createTestClient, signUpClient } from '../testing/test-client';
import { type ScratchRedis, startScratchRedis } from '../testing/test-redis';
import { startTwoInstances } from '../testing/two-instances';

// Web Push with Redis killed under two instances (docs/decisions/148 and 150). A push is started by
// the instance that stored the message, after its answer; Redis carries only the devices' focus
// reports between instances (and the rate limits, which fall back to memory). So with Redis dead
// every message still brings its push, exactly once, and nothing is pushed again when Redis is back,
// when a focus report made on one instance silences the other's pushes again.

const BOUND_MS = 3_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let push: FakePushService;
let redis: ScratchRedis;
let deployment: Awaited<ReturnType<typeof startTwoInstances>>;
beforeAll(async () => {
  push = await startFakePushService('127.0.0.2');
  redis = await startScratchRedis();
  deployment = await startTwoInstances({
    adminDatabaseUrl: inject('adminDatabaseUrl'),
    redisUrl: redis.url,
    redisCommandTimeoutMs: 300,
    webPush: { vapid: generateVapidKeys(), subject: 'mailto:ops@chat.test', network: fakePushNetwork(push), sender: { retryDelaysMs: [50, 50], perUserPerMinute: 100, timeoutMs: 2_000 } },
  });
});
afterAll(async () => {
  await deployment?.dispose();
  await redis?.kill();
  await push?.close();
});

describe('Web Push with Redis killed', () => {
  it('pushes every message sent on either instance once while Redis is dead, none again after, and honours focus across instances once Redis is back', async () => {
    const { a, b } = deployment;
    const settled = () => Promise.all([a.deps.webPush!.settled(), b.deps.webPush!.settled()]);
    // Bob has one subscribed browser and no tab open; Alice writes to him in a DM through both instances.
    const bob = await signUpClient(a, 'pbob');
    const browser = browserPushKeys();
    const path = '/send/pbob';
    await bob.client.trpc.push.subscribe.mutate({ endpoint: `http://push.test:${push.port}${path}`, keys: browser.keys });
    const alice = await signUpClient(b, 'palice');
    const aliceVia = { a: createTestClient(a, alice.token).trpc, b: alice.client.trpc };
    const dm = await alice.client.trpc.room.openDirect.mutate({ userId: bob.user.id });
    const pushedIds = () =>
      push.received.filter((d) => d.path === path && d.status < 300).map((d) => (JSON.parse(browser.decrypt(d.body)) as PushPayload).messageId);
    const expected: string[] = [];
    const send = async (via: 'a' | 'b', text: string) => {
      const started = Date.now();
      const message = await aliceVia[via].chat.send.mutate({ roomId: dm.id, text });
      expect(Date.now() - started).toBeLessThan(BOUND_MS);
      return message.id;
    };

    expected.push(await send('b', 'before the outage'));
    await settled();
    expect(pushedIds()).toEqual(expected);

    await redis.kill();
    await sleep(200);
    for (let i = 0; i < 6; i++) expected.push(await send(i % 2 === 0 ? 'a' : 'b', `during the outage ${i}`));
    await settled();
    expect(pushedIds()).toEqual(expected);

    await redis.start();
    await expect.poll(() => a.deps.bus.healthy() && b.deps.bus.healthy(), { timeout: 10_000 }).toBe(true);
    expected.push(await send('b', 'after the outage'));
    await settled();
    // Nothing pushed twice when the bus came back: each message once, in order.
    expect(pushedIds()).toEqual(expected);

    // Bob looks at the DM in a tab served by A: B hears of it through Redis again and stays quiet.
    await bob.client.trpc.push.focus.mutate({ roomId: dm.id });
    await expect.poll(() => b.deps.focus.isWatching(bob.user.id, dm.id), { timeout: 5_000 }).toBe(true);
    await send('b', 'seen in the open tab');
    await settled();
    expect(pushedIds()).toEqual(expected);
  }, 40_000);
});
