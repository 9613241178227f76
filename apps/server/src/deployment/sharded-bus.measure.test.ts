import { repositoriesFor } from '@chat/db';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startRedisCluster, type TestRedisCluster } from '../testing/redis-cluster';
import { createTestClient, signUpClient } from '../testing/test-client';
import { TEST_REDIS_URL } from '../testing/test-redis';
import { startTestServer, type TestServer } from '../testing/testing';

// A count, not a timing (docs/decisions/158): for 2 and 3 instances and 1,000 rooms, how many
// events each instance receives from Redis against how many it hands to its readers, with the
// single Redis channel (every instance hears everything) and with the sharded bus. Runs only
// when asked: MEASURE_SHARDED_BUS=1 npx vitest run apps/server/src/deployment/sharded-bus.measure.test.ts
const ROOMS = Number(process.env.MEASURE_ROOMS ?? 1000);
const USERS = 60;
const jwtSecret = randomBytes(32).toString('base64url');
const open: { servers: TestServer[]; cluster: TestRedisCluster | null } = { servers: [], cluster: null };
afterAll(async () => {
  for (const s of open.servers.reverse()) await s.dispose();
  await open.cluster?.dispose();
});

type Bus = 'single Redis (main)' | 'Redis Cluster, sharded';
type World = { base: TestServer; users: Awaited<ReturnType<typeof signUpClient>>[]; rooms: { id: string; members: number[] }[] };

/** One database for every run: the users, and rooms of 2 or 3 members spread over them (straight into the database). */
async function world(): Promise<World> {
  const base = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), jwtSecret });
  open.servers.push(base);
  const users = [];
  for (let i = 0; i < USERS; i++) users.push(await signUpClient(base, 'm'));
  const repos = repositoriesFor(base.orm.em.fork());
  const rooms: World['rooms'] = [];
  // A seeded generator: the same rooms every run, members independent of the instance they read on.
  let seed = 26;
  const pick = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), Math.floor((seed / 2 ** 31) * USERS));
  for (let r = 0; r < ROOMS; r++) {
    const members = new Set<number>();
    while (members.size < 2 + (r % 2)) members.add(pick());
    const list = [...members];
    const made = await repos.rooms.createRoom({ kind: 'private', name: `m-${r}`, topic: null, createdBy: users[list[0]!]!.user.id });
    for (const m of list.slice(1)) await repos.rooms.addMember(made!.room.id, users[m]!.user.id, null);
    rooms.push({ id: made!.room.id, members: list });
  }
  return { base, users, rooms };
}

async function measure({ base, users, rooms }: World, bus: Bus, instances: number, clusterNodes: { host: string; port: number }[] | null) {
  const shared = {
    adminDatabaseUrl: inject('adminDatabaseUrl'),
    databaseUrl: base.databaseUrl,
    jwtSecret,
    redisPrefix: `measure:${randomBytes(6).toString('hex')}:`,
    ...(clusterNodes ? { redisClusterNodes: clusterNodes } : { redisUrl: TEST_REDIS_URL }),
  };
  const servers: TestServer[] = [];
  for (let i = 0; i < instances; i++) servers.push(await startTestServer(shared));
  try {
    const delivered = servers.map(() => 0);
    servers.forEach((s, i) => s.deps.dispatcher.observe({ delivered: (_e, streams) => (delivered[i]! += streams), streams: () => {} }));
    const expected = users.map(() => 0);
    for (const room of rooms) for (const m of room.members) expected[m]! += 1;
    const got = users.map(() => 0);
    let started = 0;
    // User i reads on instance i mod N, as a round-robin balancer spreads connections.
    const clients = users.map((u, i) => createTestClient(servers[i % instances]!, u.token));
    const subs = clients.map((c, i) =>
      c.trpc.chat.onEvent.subscribe(
        { lastEventId: null },
        {
          onData: (item) => {
            if (item.data.type === 'presence.snapshot') started++;
            if (item.data.type === 'message.created') got[i]! += 1;
          },
        },
      ),
    );
    // Live from the start: every stream must be up before the first send.
    await expect.poll(() => started >= users.length, { timeout: 120_000, interval: 200 }).toBe(true);
    const before = servers.map((s) => s.deps.bus.received?.() ?? 0);
    // One message per room, through its sender's own instance.
    for (let i = 0; i < rooms.length; i += 50) {
      await Promise.all(rooms.slice(i, i + 50).map((room) => clients[room.members[0]!]!.trpc.chat.send.mutate({ roomId: room.id, text: 'hello' })));
    }
    await expect.poll(() => got.every((n, i) => n >= expected[i]!), { timeout: 120_000, interval: 500 }).toBe(true);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(got).toEqual(expected);
    const received = servers.map((s, i) => (s.deps.bus.received?.() ?? 0) - before[i]!);
    subs.forEach((s) => s.unsubscribe());
    await Promise.all(clients.map((c) => c.close()));
    const row = { bus, instances, sent: rooms.length, received, delivered };
    console.log(`| ${row.bus} | ${row.instances} | ${row.sent} | ${row.received.join(' / ')} | ${row.delivered.join(' / ')} |`);
    return row;
  } finally {
    for (const s of servers.reverse()) await s.dispose();
  }
}

describe.skipIf(!process.env.MEASURE_SHARDED_BUS)('events received per instance against events delivered by it', () => {
  it(`${ROOMS} rooms, 2 and 3 instances, single Redis and the sharded bus`, async () => {
    open.cluster = await startRedisCluster('sharded-bus.measure.test.ts', { masters: 3 });
    if (!open.cluster) return;
    const w = await world();
    console.log('| bus | instances | messages sent | received per instance | delivered per instance |\n| --- | --- | --- | --- | --- |');
    for (const instances of [2, 3]) {
      const single = await measure(w, 'single Redis (main)', instances, null);
      const sharded = await measure(w, 'Redis Cluster, sharded', instances, open.cluster.nodes);
      for (let i = 0; i < instances; i++) expect(sharded.received[i]).toBeLessThan(single.received[i]!);
    }
  }, 1_800_000);
});
