import { EVERYONE_ROOM_ID, initORM, migrate, type Orm, repositoriesFor } from '@chat/db';
import { startTcpProxy, type TcpProxy } from '@chat/db/tcp-proxy';
import { createTestDatabase, type TestDatabase } from '@chat/db/testing';
import { afterAll, afterEach, beforeAll, expect, inject, it } from 'vitest';
import { createInProcessBus, type EventBus } from '../bus/event-bus';
import { toChatMessage } from '../shapes';
import { createEventFeed, type EventFeed, type EventFeedOptions } from './event-feed';

// The feed reads through a TCP proxy the test cuts: a real database outage for this feed only,
// while the test keeps writing through its own connection, as another instance would.
let db: TestDatabase;
let writer: Orm;
let authorId: string;
beforeAll(async () => {
  db = await createTestDatabase(inject('adminDatabaseUrl'));
  writer = await initORM({ clientUrl: db.url, poolMax: 2 });
  await migrate(writer);
  authorId = (await repositoriesFor(writer.em.fork()).users.insertIfUsernameFree({ username: 'author', passwordHash: 'x' }))!.id;
});
afterAll(async () => {
  await writer?.close();
  await db?.drop();
});

const open: { feed: EventFeed; orm: Orm; proxy: TcpProxy }[] = [];
afterEach(async () => {
  for (const { feed, orm, proxy } of open.splice(0)) {
    feed.close();
    await proxy.close();
    await orm.close();
  }
});

async function feedBehindProxy(options: Partial<EventFeedOptions> = {}) {
  const url = new URL(db.url);
  const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
  url.host = `127.0.0.1:${proxy.port}`;
  const orm = await initORM({ clientUrl: url.toString(), poolMax: 2 });
  const bus = createInProcessBus();
  const errors: unknown[] = [];
  const feed = createEventFeed({ orm, bus, onError: (e) => errors.push(e), ...options });
  open.push({ feed, orm, proxy });
  await feed.ready;
  const seen: string[] = [];
  // Message ids of the message.created events, in the order the feed delivers them.
  feed.subscribe((e) => seen.push(e.messageId!));
  return { proxy, bus, feed, seen, errors };
}

/** Stores a message as the chat service does, and the event it would publish. */
async function store(text: string) {
  const result = await repositoriesFor(writer.em.fork()).messages.append({ authorId, text, clientMessageId: null });
  if (result.refused || !result.eventId) throw new Error('append refused');
  const message = toChatMessage(result.message);
  const event = { id: result.eventId, type: 'message.created' as const, roomId: EVERYONE_ROOM_ID, userId: authorId, messageId: message.id, message: { ...message, roomId: EVERYONE_ROOM_ID }, payload: null, createdAt: message.createdAt };
  return { message, publish: (bus: EventBus) => bus.publish({ type: 'event', event }) };
}

/** Stores and publishes a message; `publish` false is an append whose event was lost. */
async function send(bus: EventBus, text: string, publish = true) {
  const { message, publish: announce } = await store(text);
  if (publish) announce(bus);
  return message;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('reads a gap it failed to read during an outage once the database is back, with no further message', async () => {
  // No idle check: this is about the retry alone.
  const { proxy, bus, seen, errors } = await feedBehindProxy({ idleCheckMs: 60_000 });
  const first = await send(bus, 'before');
  await expect.poll(() => seen).toEqual([first.id]);

  proxy.cut();
  // The event for `lost` never comes; the one for `after` does, and the gap read then fails.
  const lost = await send(bus, 'lost', false);
  const after = await send(bus, 'after');
  await sleep(300);
  expect(seen).toEqual([first.id]);
  proxy.restore();

  // The room stays quiet: only the feed's own retry can bring these.
  await expect.poll(() => seen, { timeout: 8_000 }).toEqual([first.id, lost.id, after.id]);
  expect(errors.length).toBe(1);
});

it('puts events that overtook each other on the bus back in order without reading the database', async () => {
  const gapReads: number[] = [];
  const { proxy, bus, seen, errors } = await feedBehindProxy({ idleCheckMs: 60_000, reorderWaitMs: 2_000, onGapRead: () => gapReads.push(1) });
  const first = await send(bus, 'first');
  await expect.poll(() => seen).toEqual([first.id]);
  // With the database unreachable, only the bus can bring these: any gap read would fail.
  proxy.cut();
  const [a, b, c] = [await store('a'), await store('b'), await store('c')];
  c.publish(bus);
  a.publish(bus);
  await expect.poll(() => seen).toEqual([first.id, a.message.id]);
  b.publish(bus);
  await expect.poll(() => seen).toEqual([first.id, a.message.id, b.message.id, c.message.id]);
  expect(gapReads).toEqual([]);
  expect(errors).toEqual([]);
  proxy.restore();
});

it('reads the gap from the database when the missing event never comes on the bus', async () => {
  const gapReads: number[] = [];
  const { bus, seen } = await feedBehindProxy({ idleCheckMs: 60_000, reorderWaitMs: 100, onGapRead: () => gapReads.push(1) });
  const a = await send(bus, 'a');
  const lost = await send(bus, 'lost', false);
  const after = await send(bus, 'after');
  await sleep(50);
  // Held while its predecessor may still come...
  expect(seen).toEqual([a.id]);
  // ...then read: one query for the whole gap.
  await expect.poll(() => seen).toEqual([a.id, lost.id, after.id]);
  expect(gapReads).toEqual([1]);
});

it('finds a stored event that was never published, once the bus has been quiet', async () => {
  const { bus, seen } = await feedBehindProxy({ idleCheckMs: 200 });
  const a = await send(bus, 'a');
  // Stored, but nobody published it (its sender lost the answer, and the retry found it stored).
  const b = await send(bus, 'b', false);
  await expect.poll(() => seen, { timeout: 5_000 }).toEqual([a.id, b.id]);
});

it('backs off while the database is down instead of reading once per event', async () => {
  const { proxy, bus, seen } = await feedBehindProxy({ idleCheckMs: 60_000 });
  proxy.cut();
  const before = proxy.connections;
  const sent: string[] = [];
  // Every event is a gap (each one's predecessor was never announced), and each read would fail.
  for (let i = 0; i < 40; i++) {
    await send(bus, `unannounced ${i}`, false);
    sent.push((await send(bus, `announced ${i}`)).id);
    await sleep(50);
  }
  // 2 s of events at 20 a second: 250 ms doubling means a handful of tries, not forty.
  expect(proxy.connections - before).toBeLessThanOrEqual(6);
  proxy.restore();
  await expect.poll(() => seen.length, { timeout: 10_000 }).toBe(80);
  expect(seen.filter((id) => sent.includes(id))).toEqual(sent);
  expect([...seen].sort((x, y) => Number(BigInt(x) - BigInt(y)))).toEqual(seen);
}, 20_000);
