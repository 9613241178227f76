import { repositoriesFor } from '@chat/db';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { NGINX_BINARY, startLoadBalancer, type TestLoadBalancer } from '../testing/nginx';
import { startRedisCluster, type TestRedisCluster } from '../testing/redis-cluster';
import { createTestClient, signUpClient } from '../testing/test-client';
import { TEST_REDIS_URL } from '../testing/test-redis';
import { startTestServer, type TestServer } from '../testing/testing';

// Issue 26 §2 as a count, not a timing (docs/decisions/158): 2 and 3 instances behind deploy/nginx.conf,
// how many events each instance receives from Redis against how many it hands to its readers, with the
// single Redis channel (every instance hears everything) and with the sharded bus on a Redis Cluster,
// where a master is killed halfway through the sends. Every reader must get each of its rooms' messages
// exactly once in both. In `pnpm test` it runs small (30 rooms) for correctness; `pnpm bench:bus` runs
// 1,000 rooms and writes bench/results/bus/.
const MEASURE = Boolean(process.env.MEASURE_SHARDED_BUS);
const ROOMS = Number(process.env.MEASURE_ROOMS ?? (MEASURE ? 1000 : 30));
const USERS = MEASURE ? 60 : 12;
const jwtSecret = randomBytes(32).toString('base64url');
const open: { servers: TestServer[]; cluster: TestRedisCluster | null } = { servers: [], cluster: null };
afterAll(async () => {
  for (const s of open.servers.reverse()) await s.dispose();
  await open.cluster?.dispose();
});
if (!NGINX_BINARY && process.env.CI) throw new Error('nginx is missing: .ci/run installs nginx-light');

type Bus = 'single Redis' | 'Redis Cluster, sharded';
type World = { base: TestServer; users: Awaited<ReturnType<typeof signUpClient>>[]; rooms: { id: string; members: number[] }[] };
type Row = { bus: Bus; instances: number; sent: number; failover: string; received: number[]; delivered: number[]; readers: number[] };

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

async function measure({ base, users, rooms }: World, bus: Bus, instances: number, cluster: TestRedisCluster | null): Promise<Row> {
  const prefix = `measure:${randomBytes(6).toString('hex')}:`;
  const shared = {
    adminDatabaseUrl: inject('adminDatabaseUrl'),
    databaseUrl: base.databaseUrl,
    jwtSecret,
    redisPrefix: prefix,
    ...(cluster ? { redisClusterNodes: cluster.nodes } : { redisUrl: TEST_REDIS_URL }),
  };
  const servers: TestServer[] = [];
  let lb: TestLoadBalancer | null = null;
  try {
    for (let i = 0; i < instances; i++) servers.push(await startTestServer(shared));
    lb = await startLoadBalancer(servers.map((s) => s.port));
    const delivered = servers.map(() => 0);
    const streams = servers.map(() => 0);
    servers.forEach((s, i) =>
      s.deps.dispatcher.observe({ delivered: (_e, n) => (delivered[i]! += n), streams: (n) => (streams[i] = n) }),
    );
    const expected = users.map(() => 0);
    for (const room of rooms) for (const m of room.members) expected[m]! += 1;
    const got = users.map(() => new Set<string>());
    const repeats = users.map(() => 0);
    let started = 0;
    // Every reader and every send goes through nginx: round-robin decides where each lands.
    const clients = users.map((u) => createTestClient(lb!, u.token));
    const subs = clients.map((c, i) =>
      c.trpc.chat.onEvent.subscribe(
        { lastEventId: null },
        {
          onData: (item) => {
            if (item.data.type === 'presence.snapshot') started++;
            if (item.data.type !== 'message.created') return;
            if (got[i]!.has(item.data.message.id)) repeats[i]! += 1;
            got[i]!.add(item.data.message.id);
          },
        },
      ),
    );
    // Live from the start: every stream must be up before the first send.
    await expect.poll(() => started >= users.length, { timeout: 120_000, interval: 200 }).toBe(true);
    const readers = [...streams];
    const before = servers.map((s) => s.deps.bus.received?.() ?? 0);
    let failover = '—';
    // One message per room from one of its members, in batches of up to 50 (at least 4 batches: the kill falls between two).
    const batch = Math.max(1, Math.min(50, Math.floor(rooms.length / 4)));
    for (let i = 0; i < rooms.length; i += batch) {
      if (cluster && failover === '—' && i >= rooms.length / 2) {
        // Halfway: the master serving the next room's channel dies and its replica takes over.
        const channel = `${prefix}room:${rooms[i]!.id}`;
        const port = await cluster.masterOf(channel);
        await cluster.kill(port);
        failover = `master :${port} killed after ${i} sends`;
      }
      await Promise.all(rooms.slice(i, i + batch).map((room) => clients[room.members[0]!]!.trpc.chat.send.mutate({ roomId: room.id, text: 'hello' })));
    }
    await expect.poll(() => got.every((s, i) => s.size >= expected[i]!), { timeout: 120_000, interval: 500 }).toBe(true);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(got.map((s) => s.size)).toEqual(expected);
    expect(repeats.every((n) => n === 0)).toBe(true);
    const received = servers.map((s, i) => (s.deps.bus.received?.() ?? 0) - before[i]!);
    subs.forEach((s) => s.unsubscribe());
    await Promise.all(clients.map((c) => c.close()));
    return { bus, instances, sent: rooms.length, failover, received, delivered, readers };
  } finally {
    await lb?.stop();
    for (const s of servers.reverse()) await s.dispose();
  }
}

function report(rows: Row[]): string {
  const pct = (single: Row, row: Row) =>
    row.received.map((n, i) => `${n.toLocaleString('en-US')} (${single.received[i] ? `${Math.round((n / single.received[i]! - 1) * 100)} %` : '—'})`);
  const lines = [
    `Run ${new Date().toISOString()} on ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}.`,
    'Command: `pnpm bench:bus` (apps/server/src/deployment/sharded-bus.measure.test.ts). Instances behind deploy/nginx.conf (round-robin);',
    `${USERS} users, ${ROOMS.toLocaleString('en-US')} private rooms of 2 or 3 members, each user reading chat.onEvent through the load balancer,`,
    'one message per room sent through the load balancer. "Received" is what an instance read from Redis (its own publishes never count),',
    '"delivered" what its dispatcher handed to its streams. Every reader got each of its rooms\' messages exactly once in every row.',
    '',
    '| bus | instances | messages sent | readers per instance | received per instance (vs single Redis) | delivered per instance | failover |',
    '| --- | ---: | ---: | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    const single = rows.find((r) => r.bus === 'single Redis' && r.instances === row.instances)!;
    const received = row.bus === 'single Redis' ? row.received.map((n) => n.toLocaleString('en-US')) : pct(single, row);
    lines.push(
      `| ${row.bus} | ${row.instances} | ${row.sent.toLocaleString('en-US')} | ${row.readers.join(' / ')} | ${received.join(' / ')} | ${row.delivered.map((n) => n.toLocaleString('en-US')).join(' / ')} | ${row.failover} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

describe.skipIf(!NGINX_BINARY)('events received per instance against events delivered by it, behind the load balancer', () => {
  it(`${ROOMS} rooms, 2 and 3 instances, single Redis and the sharded bus through a master failover`, async () => {
    const rows: Row[] = [];
    const w = await world();
    for (const instances of [2, 3]) {
      rows.push(await measure(w, 'single Redis', instances, null));
      // A cluster of its own per run (3 masters, each with a replica): the failover of the last one is over.
      open.cluster = await startRedisCluster('sharded-bus.measure.test.ts', { masters: 3, replicas: 1 });
      if (!open.cluster) return;
      rows.push(await measure(w, 'Redis Cluster, sharded', instances, open.cluster));
      await open.cluster.dispose();
      open.cluster = null;
    }
    const table = report(rows);
    console.log(table);
    if (MEASURE) {
      for (const row of rows.filter((r) => r.bus !== 'single Redis')) {
        const single = rows.find((r) => r.bus === 'single Redis' && r.instances === row.instances)!;
        expect(row.received.reduce((a, b) => a + b, 0)).toBeLessThan(single.received.reduce((a, b) => a + b, 0));
      }
      const dir = new URL('../../../../bench/results/bus/', import.meta.url);
      mkdirSync(dir, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}.md`;
      writeFileSync(new URL(name, dir), table);
      writeFileSync(new URL('latest.md', dir), table);
    }
  }, 1_800_000);
});
