import { initORM, migrate, type Orm, repositoriesFor } from '@chat/db';
import { createTestDatabase, type TestDatabase } from '@chat/db/testing';
import { afterAll, afterEach, beforeAll, expect, inject, it } from 'vitest';
import { createInProcessBus, type EventBus } from '../bus/event-bus';
import { roomTopic, type Topic } from '../bus/topics';
import { toChatMessage } from '../shapes';
import type { EventFeed } from './event-feed';
import { createScopedEventFeed } from './scoped-event-feed';

// The feed over a scoped bus against a real database; the test plays the bus, publishing only
// what a sharded bus would bring (the followed rooms' events) or nothing (a lost publish).
let db: TestDatabase;
let orm: Orm;
let authorId: string;
let rooms: { x: string; y: string };
beforeAll(async () => {
  db = await createTestDatabase(inject('adminDatabaseUrl'));
  orm = await initORM({ clientUrl: db.url, poolMax: 4 });
  await migrate(orm);
  const repos = repositoriesFor(orm.em.fork());
  authorId = (await repos.users.insertIfUsernameFree({ username: 'author', passwordHash: 'x' }))!.id;
  const make = async (name: string) => (await repos.rooms.createRoom({ kind: 'private', name, topic: null, createdBy: authorId }))!.room.id;
  rooms = { x: await make('x'), y: await make('y') };
});
afterAll(async () => {
  await orm?.close();
  await db?.drop();
});

const open: EventFeed[] = [];
afterEach(() => {
  for (const feed of open.splice(0)) feed.close();
});

async function scopedFeed() {
  const bus = createInProcessBus();
  const subscribed: Topic[][] = [];
  const feed = createScopedEventFeed({ orm, bus, scope: { follow: async (t) => void subscribed.push(t), unfollow: () => {} }, reorderWaitMs: 20, idleCheckMs: 300, lingerMs: 50 });
  open.push(feed);
  await feed.ready;
  const seen: string[] = [];
  feed.subscribe((e) => e.messageId && seen.push(e.messageId));
  return { bus, feed, seen, subscribed };
}

/** Stores a message in `roomId`, and publishes its event unless `publish` is false (a lost publish, or a room the bus does not bring). */
async function send(bus: EventBus, roomId: string, text: string, publish = true) {
  const result = await repositoriesFor(orm.em.fork()).messages.append({ authorId, roomId, text, clientMessageId: null });
  if (result.refused || !result.eventId) throw new Error('append refused');
  const message = toChatMessage(result.message);
  const event = { id: result.eventId, type: 'message.created' as const, roomId, userId: authorId, messageId: message.id, message: { ...message, roomId }, payload: null, createdAt: message.createdAt };
  if (publish) bus.publish({ type: 'event', event });
  return message.id;
}

it('delivers a followed room in id order, reading only what the bus lost, and nothing of rooms not followed', async () => {
  const { bus, feed, seen, subscribed } = await scopedFeed();
  await feed.follow([roomTopic(rooms.x)]);
  expect(subscribed).toEqual([[roomTopic(rooms.x)]]);
  const expected: string[] = [];
  for (let i = 0; i < 10; i++) {
    // Room y's events never come (not followed) and some of x's are lost: ids are never consecutive here.
    await send(bus, rooms.y, `y${i}`, false);
    expected.push(await send(bus, rooms.x, `x${i}`, i % 3 !== 1));
  }
  await expect.poll(() => seen).toEqual(expected);
});

it('subscribes to a room asked for during a delivery before going on, and reads what was published before the subscription', async () => {
  const { bus, feed, seen, subscribed } = await scopedFeed();
  await feed.follow([roomTopic(rooms.x)]);
  let asked = false;
  // Like a join: the dispatcher follows room y as the event passes.
  feed.subscribe(() => {
    if (!asked) void feed.follow([roomTopic(rooms.y)]);
    asked = true;
  });
  const trigger = await send(bus, rooms.x, 'join');
  // Published in y before this instance followed it: the bus never brings them.
  const early = [await send(bus, rooms.y, 'y early 1', false), await send(bus, rooms.y, 'y early 2', false)];
  const later = await send(bus, rooms.x, 'x later');
  await expect.poll(() => seen).toEqual([trigger, ...early, later]);
  expect(subscribed).toEqual([[roomTopic(rooms.x)], [roomTopic(rooms.y)]]);
});

it('finds a lost publish of a followed room once the bus has been quiet', async () => {
  const { bus, feed, seen } = await scopedFeed();
  await feed.follow([roomTopic(rooms.x)]);
  const lost = await send(bus, rooms.x, 'lost', false);
  await expect.poll(() => seen, { timeout: 3_000 }).toEqual([lost]);
});

it('lets go of a topic nobody wants once it has lingered, and keeps one wanted again in time', async () => {
  const { feed } = await scopedFeed();
  await feed.follow([roomTopic(rooms.x), roomTopic(rooms.y)]);
  feed.unfollow([roomTopic(rooms.x), roomTopic(rooms.y)]);
  await feed.follow([roomTopic(rooms.y)]);
  await expect.poll(() => feed.followed()).toEqual([roomTopic(rooms.y)]);
});
