import { repositoriesFor } from '@chat/db';
import { randomBytes } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { startRedisCluster } from '../testing/redis-cluster';
import { createTestClient, signUpClient } from '../testing/test-client';
import { TEST_REDIS_URL } from '../testing/test-redis';
import { startTestServer, type TestServer } from '../testing/testing';

// A count, not a timing (docs/decisions/158): for 2 and 3 instances and 1,000 rooms, how many
// events each instance receives from Redis against how many it hands to its readers, with the
// single Redis channel (every instance hears everything) and with the sharded bus. Runs only
// when asked: MEASURE_SHARDED_BUS=1 npx vitest run apps/server/src/deployment/sharded-bus.measure.test.ts
const ROOMS = Number(process.env.MEASURE_ROOMS ?? 1000);
const USERS = 60;
const PER_ROOM = 2;

type Bus = 'single Redis (main)' | 'Redis Cluster, sharded';

async function measure(bus: Bus, instances: number, clusterNodes: { host: string; port: number }[] | null) {
  const shared = {
    redisPrefix: `measure:${randomBytes(6).toString('hex')}:`,
    jwtSecret: randomBytes(32).toString('base64url'),
    ...(clusterNodes ? { redisClusterNodes: clusterNodes } : { redisUrl: TEST_REDIS_URL }),
  };
  const servers: TestServer[] = [await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), ...shared })];
  for (let i = 1; i < instances; i++) servers.push(await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), ...shared, databaseUrl: servers[0]!.databaseUrl }));
  try {
    const users = [];
    for (let i = 0; i < USERS; i++) users.push(await signUpClient(servers[0]!, 'm'));
    // Rooms straight into the database: a room of 2 or 3 members, spread at random over the users.
    const repos = repositoriesFor(servers[0]!.orm.em.fork());
    const rooms: { id: string; members: number[] }[] = [];
    for (let r = 0; r < ROOMS; r++) {
      const members = [...new Set([r % USERS, (r * 7 + 1) % USERS, (r * 13 + 5) % USERS].slice(0, 2 + (r % 2)))];
      const made = await repos.rooms.createRoom({ kind: 'private', name: `m-${r}`, topic: null, createdBy: users[members[0]!]!.user.id });
      for (const m of members.slice(1)) await repos.rooms.addMember(made!.room.id, users[m]!.user.id, null);
      rooms.push({ id: made!.room.id, members });
    }
    // Each user reads on instance (index mod N), as a round-robin balancer spreads them.
    const delivered = servers.map(() => 0);
    servers.forEach((s, i) => s.deps.dispatcher.observe({ delivered: (_e, streams) => (delivered[i]! += streams), streams: () => {} }));
    const expected = users.map(() => 0);
    for (const room of rooms) for (const m of room.members) expected[m]! += PER_ROOM;
    const got = users.map(() => 0);
    const clients = users.map((u, i) => createTestClient(servers[i % instances]!, u.token));
    const subs = clients.map((c, i) => c.trpc.chat.onEvent.subscribe({ lastEventId: null }, { onData: (item) => item.data.type === 'message.created' && (got[i]! += 1) }));
    await new Promise((r) => setTimeout(r, 1_000));
    const before = servers.map((s) => s.deps.bus.received?.() ?? 0);
    // Each message sent through its sender's own instance.
    for (let round = 0; round < PER_ROOM; round++) {
      for (let i = 0; i < rooms.length; i += 50) {
        await Promise.all(
          rooms.slice(i, i + 50).map((room) => {
            const sender = room.members[round % room.members.length]!;
            return clients[sender]!.trpc.chat.send.mutate({ roomId: room.id, text: `r${round}` });
          }),
        );
      }
    }
    await expect.poll(() => got.every((n, i) => n >= expected[i]!), { timeout: 60_000, interval: 200 }).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(got).toEqual(expected);
    const received = servers.map((s, i) => (s.deps.bus.received?.() ?? 0) - before[i]!);
    subs.forEach((s) => s.unsubscribe());
    await Promise.all(clients.map((c) => c.close()));
    return { bus, instances, sent: ROOMS * PER_ROOM, received, delivered };
  } finally {
    for (const s of servers.reverse()) await s.dispose();
  }
}

describe.skipIf(!process.env.MEASURE_SHARDED_BUS)('events received per instance against events delivered by it', () => {
  it(`${ROOMS} rooms, 2 and 3 instances, single Redis and the sharded bus`, async () => {
    const cluster = await startRedisCluster('sharded-bus.measure.test.ts', { masters: 3 });
    if (!cluster) return;
    try {
      const rows = [];
      for (const instances of [2, 3]) {
        rows.push(await measure('single Redis (main)', instances, null));
        rows.push(await measure('Redis Cluster, sharded', instances, cluster.nodes));
      }
      console.log(['| bus | instances | messages sent | received per instance | delivered per instance |', '| --- | --- | --- | --- | --- |', ...rows.map((r) => `| ${r.bus} | ${r.instances} | ${r.sent} | ${r.received.join(' / ')} | ${r.delivered.join(' / ')} |`)].join('\n'));
      for (const r of rows.filter((row) => row.bus === 'Redis Cluster, sharded')) {
        const single = rows.find((row) => row.bus !== r.bus && row.instances === r.instances)!;
        for (let i = 0; i < r.instances; i++) expect(r.received[i]).toBeLessThan(single.received[i]!);
      }
    } finally {
      await cluster.dispose();
    }
  }, 600_000);
});
