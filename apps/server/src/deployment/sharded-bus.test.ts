import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startRedisCluster, type TestRedisCluster } from '../testing/redis-cluster';
import { roomName } from '../testing/rooms.test-helpers';
import { createTestClient, signUpClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/testing';

// Two instances whose live events go over a real Redis Cluster (3 masters, each with a replica)
// through sharded pub/sub: each hears only its readers' rooms (docs/decisions/158).
const cluster: TestRedisCluster | null = await startRedisCluster('sharded-bus.test.ts', { masters: 3, replicas: 1 });
const prefix = `test:${randomBytes(6).toString('hex')}:`;
let a: TestServer;
let b: TestServer;

beforeAll(async () => {
  if (!cluster) return;
  const shared = { redisClusterNodes: cluster.nodes, redisPrefix: prefix, jwtSecret: randomBytes(32).toString('base64url') };
  a = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), ...shared });
  b = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), ...shared, databaseUrl: a.databaseUrl });
}, 120_000);

afterAll(async () => {
  await b?.dispose();
  await a?.dispose();
  await cluster?.dispose();
});

type User = Awaited<ReturnType<typeof signUpClient>>;

/** A user's chat.onEvent on one instance: the message ids it was sent per room, and every event id (to find a repeat). */
async function reader(server: TestServer, user: User) {
  const client = createTestClient(server, user.token);
  const { cursor } = await client.trpc.chat.eventCursor.query();
  const seen = { byRoom: new Map<string, string[]>(), eventIds: [] as string[], ready: false };
  const sub = client.trpc.chat.onEvent.subscribe(
    { lastEventId: cursor },
    {
      onData: (item) => {
        const event = item.data;
        if (event.type === 'presence.snapshot') seen.ready = true;
        if (!('eventId' in event)) return;
        seen.eventIds.push(event.eventId);
        if (event.type === 'message.created') seen.byRoom.set(event.roomId, [...(seen.byRoom.get(event.roomId) ?? []), event.message.id]);
      },
    },
  );
  await expect.poll(() => seen.ready).toBe(true);
  return {
    seen,
    messages: (roomId: string) => seen.byRoom.get(roomId) ?? [],
    async close() {
      sub.unsubscribe();
      await client.close();
    },
  };
}

const sorted = (ids: string[]) => [...ids].sort((x, y) => x.length - y.length || (x < y ? -1 : 1));
const received = (server: TestServer) => server.deps.bus.received?.() ?? 0;

describe.skipIf(!cluster)('live events over a Redis Cluster with sharded pub/sub', () => {
  it('delivers messages in many rooms exactly once to readers on both instances, and an instance hears no room it has no reader in', async () => {
    const [a1, a2, b1, b2] = await Promise.all(['ann', 'amy', 'bob', 'bea'].map((name) => signUpClient(a, name)));
    const readers = { a1: await reader(a, a1!), a2: await reader(a, a2!), b1: await reader(b, b1!), b2: await reader(b, b2!) };
    // Rooms made after the streams opened: each join makes an instance follow the room before it goes on.
    const makeRooms = async (owner: User, guest: User, count: number) => {
      const rooms: string[] = [];
      for (let i = 0; i < count; i++) {
        const room = await owner.client.trpc.room.create.mutate({ name: roomName('shard'), kind: 'private' });
        await owner.client.trpc.room.invite.mutate({ roomId: room.id, userId: guest.user.id });
        rooms.push(room.id);
      }
      return rooms;
    };
    const onlyA = await makeRooms(a1!, a2!, 6);
    const onlyB = await makeRooms(b1!, b2!, 6);
    const shared = await makeRooms(a1!, b1!, 6);
    const sends = async (sender: User, server: TestServer, rooms: string[], perRoom: number) => {
      const client = createTestClient(server, sender.token);
      const sent = new Map<string, string[]>();
      for (let i = 0; i < perRoom; i++) {
        await Promise.all(rooms.map(async (roomId) => sent.set(roomId, [...(sent.get(roomId) ?? []), (await client.trpc.chat.send.mutate({ roomId, text: `m${i}` })).id])));
      }
      return sent;
    };

    // Instance B's rooms, sent through B: instance A follows none of them and hears none of it.
    await expect.poll(() => a.deps.events.followed().some((t) => onlyB.includes(t.slice(5)))).toBe(false);
    const heardByA = received(a);
    const sentB = await sends(b1!, b, onlyB, 5);
    for (const roomId of onlyB) {
      await expect.poll(() => readers.b2.messages(roomId)).toEqual(sentB.get(roomId));
      await expect.poll(() => readers.b1.messages(roomId)).toEqual(sentB.get(roomId));
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(received(a)).toBe(heardByA);

    // Then everything at once, from both sides: every reader gets its rooms' messages, once, in id order.
    const heardByB = received(b);
    const [sentA, sentShared, sentShared2] = await Promise.all([sends(a2!, a, onlyA, 5), sends(a1!, a, shared, 5), sends(b1!, b, shared, 5)]);
    for (const roomId of shared) {
      const both = sorted([...sentShared.get(roomId)!, ...sentShared2.get(roomId)!]);
      await expect.poll(() => readers.b1.messages(roomId)).toEqual(both);
      await expect.poll(() => readers.a1.messages(roomId)).toEqual(both);
    }
    for (const roomId of onlyA) await expect.poll(() => readers.a1.messages(roomId)).toEqual(sentA.get(roomId));
    // B heard A's messages in the shared rooms (30), not those of A's own rooms.
    expect(received(b) - heardByB).toBeGreaterThanOrEqual(30);
    expect(received(b) - heardByB).toBeLessThan(60);
    for (const r of Object.values(readers)) {
      expect(new Set(r.seen.eventIds).size).toBe(r.seen.eventIds.length);
      expect(r.seen.eventIds).toEqual(sorted(r.seen.eventIds));
    }
    expect(readers.b2.seen.byRoom.size).toBe(onlyB.length);
    expect([...readers.a2.seen.byRoom.keys()].sort()).toEqual([...onlyA].sort());
    await Promise.all(Object.values(readers).map((r) => r.close()));
  }, 120_000);

  it('a reader added to a room only the other instance follows gets the first message sent right after', async () => {
    const [owner, guest] = await Promise.all([signUpClient(a, 'own'), signUpClient(a, 'gue')]);
    const guestReader = await reader(b, guest!);
    for (let i = 0; i < 5; i++) {
      const room = await owner!.client.trpc.room.create.mutate({ name: roomName('late'), kind: 'private' });
      expect(b.deps.events.followed()).not.toContain(`room:${room.id}`);
      await owner!.client.trpc.room.invite.mutate({ roomId: room.id, userId: guest!.user.id });
      const first = await owner!.client.trpc.chat.send.mutate({ roomId: room.id, text: 'welcome' });
      await expect.poll(() => guestReader.messages(room.id)).toEqual([first.id]);
    }
    await guestReader.close();
  }, 60_000);

  it('loses and repeats nothing when the master serving a room fails over to its replica', async () => {
    const [ann, bob] = await Promise.all([signUpClient(a, 'fa'), signUpClient(a, 'fb')]);
    const room = await ann!.client.trpc.room.create.mutate({ name: roomName('failover'), kind: 'private' });
    await ann!.client.trpc.room.invite.mutate({ roomId: room.id, userId: bob!.user.id });
    const annReader = await reader(a, ann!);
    const bobReader = await reader(b, bob!);
    const sent: string[] = [];
    const send = async (n: number) => {
      for (let i = 0; i < n; i++) sent.push((await ann!.client.trpc.chat.send.mutate({ roomId: room.id, text: `f${sent.length}` })).id);
    };
    await send(10);
    const channel = `${prefix}room:${room.id}`;
    await cluster!.kill(await cluster!.masterOf(channel));
    await send(20);
    await cluster!.healthy(channel);
    await send(10);
    await expect.poll(() => bobReader.messages(room.id), { timeout: 20_000 }).toEqual(sent);
    await expect.poll(() => annReader.messages(room.id), { timeout: 20_000 }).toEqual(sent);
    for (const r of [annReader, bobReader]) expect(new Set(r.seen.eventIds).size).toBe(r.seen.eventIds.length);
    await Promise.all([annReader.close(), bobReader.close()]);
  }, 150_000);
});
