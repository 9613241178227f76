import { runEventRetention } from '@chat/api';
import { EVERYONE_ROOM_ID } from '@chat/api/schemas';
import { startTcpProxy, type TcpProxy } from '@chat/client/testing';
import { applyEvent, compareIds, loadRoom, roomList, type RoomState } from '@chat/client/core';
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createTestClient, signUpClient, type TestClient, type Trpc } from '../testing/test-client';
import { byId, comparable, roomPart, takeSnapshot, takeSnapshots } from '../testing/room-snapshot.test-helpers';
import { redisAvailable, TEST_REDIS_URL } from '../testing/test-redis';
import { startTestServer, type TestServer } from '../testing/testing';

// The invariant of issues 14 and 15: for random operations by several users on two instances
// (rooms and memberships, messages with mentions and replies, edits, deletes and reactions, refused
// ones included), with sockets cut and moved between instances, a client that takes a snapshot at
// some moment and then applies chat.onEvent from that moment's cursor ends with exactly what a fresh
// snapshot returns, and never sees an event of a room it could not see at that event's time.
// Each observer also runs the web's sidebar fold (decision 128: room.list rows only, no history)
// over the same events, and its list must equal the fresh room.list too.

const RUNS = Number(process.env.INVARIANT_RUNS ?? 15);
/** INVARIANT_DEBUG=1 prints each operation as it runs. */
const started = Date.now();
const debug = process.env.INVARIANT_DEBUG ? (line: string) => console.log(`${Date.now() - started} ms ${line}`) : () => undefined;
const hasRedis = await redisAvailable('rooms.invariant.test.ts');

let servers: [TestServer, TestServer];
/** One TCP proxy in front of each instance, carrying only the observers' sockets, so a cut drops them all. */
let proxies: [TcpProxy, TcpProxy];
let pool: Awaited<ReturnType<typeof signUpClient>>[] = [];

// The model, kept across runs (they share the users and the database): who is in which room,
// the rooms operations can name, and each room's messages.
const members = new Map<string, Set<string>>();
const rooms: { id: string; kind: string }[] = [];
const messagesIn = new Map<string, string[]>();
/** Who wrote each message, and which are deleted: edits and deletes aim mostly at the actor's own live ones. */
const authorOf = new Map<string, string>();
const deleted = new Set<string>();
const EMOJI = ['👍', '❤️', '🎉', '✅'];
/** Durable events the observers received and checked, by type. */
const seen: Record<string, number> = {};
beforeAll(async () => {
  if (!hasRedis) return;
  const shared = { redisUrl: TEST_REDIS_URL, redisPrefix: `test:${randomBytes(6).toString('hex')}:`, jwtSecret: randomBytes(32).toString('base64url') };
  const a = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), ...shared });
  const b = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), databaseUrl: a.databaseUrl, ...shared });
  servers = [a, b];
  proxies = [await startTcpProxy(a.port), await startTcpProxy(b.port)];
  // Signing up hashes a password: a pool shared by every run keeps the runs cheap.
  pool = await Promise.all([0, 1, 2, 3].map((i) => signUpClient(servers[i % 2]!, `inv${i}`)));
  for (const user of pool) await user.client.close();
  members.set(EVERYONE_ROOM_ID, new Set(pool.map((u) => u.user.id)));
});
afterAll(async () => {
  for (const proxy of proxies ?? []) await proxy.close();
  await servers?.[1].dispose();
  await servers?.[0].dispose();
});

// ---- operations -------------------------------------------------------------------------------

type Op =
  | { kind: 'create'; by: number; private: boolean; via: number }
  | { kind: 'join' | 'leave' | 'read' | 'rename'; by: number; room: number; via: number }
  /** A message naming `mention` (who may not be a member), answering message number `reply` of the room. */
  | { kind: 'send'; by: number; room: number; via: number; mention: number | null; reply: number | null }
  /** Every user sends two plain messages at once through one instance: group commit's many-row statements (decision 162). */
  | { kind: 'burst'; by: number; room: number; via: number }
  | { kind: 'edit'; by: number; room: number; via: number; msg: number; mention: number | null; lines: boolean }
  | { kind: 'delete'; by: number; room: number; via: number; msg: number }
  | { kind: 'react'; by: number; room: number; via: number; msg: number; emoji: number; on: boolean }
  | { kind: 'invite' | 'remove'; by: number; target: number; room: number; via: number }
  | { kind: 'dm'; by: number; target: number; via: number }
  /** The observer's socket moves to the other instance (a reconnect behind a load balancer). */
  | { kind: 'switch'; observer: number }
  /** Every observer socket on one instance is cut (no close frame) and comes back by itself. */
  | { kind: 'cut'; instance: number }
  /**
   * The retention job (decision 168) on one instance with no retention at all: every event but the
   * newest (and each message's newest edit and delete) is deleted, so a resume from before gets resync.
   */
  | { kind: 'expire'; instance: number; batch: number };

const opArb = (users: number): fc.Arbitrary<Op> => {
  const user = fc.nat({ max: users - 1 });
  const via = fc.nat({ max: 1 });
  const room = fc.nat({ max: 20 });
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('create' as const), by: user, private: fc.boolean(), via }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('join' as const, 'leave' as const, 'rename' as const), by: user, room, via }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('read' as const), by: user, room, via }) },
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('send' as const), by: user, room, via, mention: fc.option(user, { nil: null }), reply: fc.option(fc.nat(), { nil: null }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('burst' as const), by: user, room, via }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('edit' as const), by: user, room, via, msg: fc.nat(), mention: fc.option(user, { nil: null }), lines: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), by: user, room, via, msg: fc.nat() }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('react' as const), by: user, room, via, msg: fc.nat(), emoji: fc.nat({ max: EMOJI.length - 1 }), on: fc.boolean() }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('invite' as const, 'remove' as const), by: user, target: user, room, via }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('dm' as const), by: user, target: user, via }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('switch' as const), observer: user }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('cut' as const), instance: fc.nat({ max: 1 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('expire' as const), instance: fc.nat({ max: 1 }), batch: fc.integer({ min: 1, max: 40 }) }) },
  );
};

/**
 * The room an operation names: mostly one where it can succeed (a room of the actor's to send,
 * read, leave, rename, invite or remove in; one it is not in to join), sometimes any recent room,
 * so refusals are exercised too.
 */
function pickRoom(op: { kind: string; room: number }, by: string) {
  const recent = rooms.slice(-8);
  const member = recent.filter((r) => (op.kind === 'join') !== !!members.get(r.id)?.has(by));
  // Operations on a message go where there are messages, when there are any.
  const withMessages = ['read', 'edit', 'delete', 'react'].includes(op.kind) ? member.filter((r) => messagesIn.get(r.id)?.length) : [];
  const fitting = withMessages.length ? withMessages : member;
  const from = op.room % 4 !== 0 && fitting.length ? fitting : recent;
  return from[op.room % Math.max(1, from.length)];
}

/**
 * The message an operation names, among the room's newest: for edits and deletes mostly one of the
 * actor's own that is not deleted, sometimes any (another's or a deleted one: a refusal).
 */
function pickMessage(roomId: string, n: number, by: string, own: boolean) {
  const recent = (messagesIn.get(roomId) ?? []).slice(-6);
  const fitting = own ? recent.filter((id) => authorOf.get(id) === by && !deleted.has(id)) : recent;
  const from = n % 4 !== 0 && fitting.length ? fitting : recent;
  return from[n % Math.max(1, from.length)];
}

/** Answers that say "not allowed" or "not possible": the operation simply did not happen. */
const EXPECTED_REFUSALS = new Set(['FORBIDDEN', 'NOT_FOUND', 'BAD_REQUEST', 'CONFLICT', 'TOO_MANY_REQUESTS']);
const codeOf = (error: unknown) => (error as { data?: { code?: string } } | null)?.data?.code ?? String(error);

// ---- the observers ------------------------------------------------------------------------------

type StreamEvent = Parameters<typeof applyEvent>[1];

interface Observer {
  user: { id: string; username: string };
  token: string;
  /** One client per instance for HTTP; the socket of `socket` goes through that instance's proxy. */
  http: [Trpc, Trpc];
  socket: TestClient | null;
  on: number;
  state: RoomState | null;
  /** The web's fold of the same snapshot's rows and events: the room list only. */
  list: RoomState | null;
  /** Every durable event received, for the visibility check. */
  received: { eventId: string; roomId: string; type: string }[];
  /** The id of the last event received (not yet necessarily applied): where a moved socket resumes. */
  lastReceived: string | null;
  queue: StreamEvent[];
  draining: Promise<void>;
  failure: unknown;
}

function subscribe(o: Observer, instance: number) {
  const server = servers[instance]!;
  o.on = instance;
  o.socket = createTestClient({ url: server.url, wsUrl: `${proxies[instance]!.url.replace('http', 'ws')}/ws` }, o.token, { retryDelayMs: 50 });
  o.socket.trpc.chat.onEvent.subscribe(
    { lastEventId: o.lastReceived ?? o.state!.cursor },
    {
      onData: (item) => {
        const event = (item && typeof item === 'object' && 'data' in item && !('type' in item) ? item.data : item) as StreamEvent;
        if ('eventId' in event) {
          o.lastReceived = event.eventId;
          if ('roomId' in event) o.received.push({ eventId: event.eventId, roomId: event.roomId, type: event.type });
        }
        o.queue.push(event);
        o.draining = o.draining.then(() => drain(o)).catch((error: unknown) => void (o.failure ??= error));
      },
      onError: (error) => void (o.failure ??= error),
    },
  );
}

/** Applies queued events one at a time; loads joined rooms and takes a new snapshot on resync as the reducer asks. */
async function drain(o: Observer) {
  const trpc = o.http[o.on]!;
  while (o.queue.length) {
    const event = o.queue.shift()!;
    o.state = applyEvent(o.state!, event);
    o.list = applyEvent(o.list!, event);
    if (o.state.resync) ({ state: o.state, list: o.list } = await takeSnapshots(trpc, o.user.id, o.state.cursor!));
    for (const roomId of o.state.toLoad) {
      const row = (await trpc.room.list.query()).find((r) => r.id === roomId);
      // Not listed: the caller left again meanwhile; that event is on its way and settles it.
      if (row) o.state = loadRoom(o.state, await roomPart(trpc, row));
    }
  }
}

// ---- the property -------------------------------------------------------------------------------

it.skipIf(!hasRedis)(
  'a snapshot plus the events after its cursor equals a fresh snapshot, and no event of a room the observer could not see arrives',
  async () => {
    const scenario = fc.integer({ min: 3, max: 4 }).chain((users) =>
      fc.record({
        users: fc.constant(users),
        ops: fc.array(opArb(users), { minLength: 10, maxLength: 25 }),
        // When each user takes its snapshot: before operation number k.
        snapshotAt: fc.array(fc.nat({ max: 15 }), { minLength: users, maxLength: users }),
        startOn: fc.array(fc.nat({ max: 1 }), { minLength: users, maxLength: users }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(scenario, async ({ users, ops, snapshotAt, startOn }) => {
        const log: string[] = [];
        const observers: Observer[] = [];
        try {
          for (const signed of pool.slice(0, users)) {
            observers.push({
              user: signed.user,
              token: signed.token,
              http: [createTestClient(servers[0], signed.token).trpc, createTestClient(servers[1], signed.token).trpc],
              socket: null,
              on: startOn[observers.length]!,
              state: null,
              list: null,
              received: [],
              lastReceived: null,
              queue: [],
              draining: Promise.resolve(),
              failure: null,
            });
          }
          const membershipAfter: Map<string, Set<string>>[] = [];
          const boundaries: string[] = [(await observers[0]!.http[0].chat.eventCursor.query()).cursor];
          const copy = () => new Map([...members].map(([r, m]) => [r, new Set(m)]));
          const before0 = copy();

          for (let k = 0; k <= ops.length; k++) {
            for (const [i, o] of observers.entries()) {
              if (Math.min(snapshotAt[i]!, ops.length) !== k || o.state) continue;
              ({ state: o.state, list: o.list } = await takeSnapshots(o.http[o.on]!, o.user.id));
              log.push(`  ${o.user.username} takes its snapshot at cursor ${o.state.cursor} on instance ${o.on}`);
              debug(log.at(-1)!);
              subscribe(o, o.on);
            }
            if (k === ops.length) break;
            const op = ops[k]!;
            const mentionOf = (u: number | null) => (u === null ? '' : ` hi @${observers[u % users]!.user.username}`);
            const room = 'room' in op ? pickRoom(op, observers[op.by]!.user.id) : undefined;
            let outcome = 'ok';
            let resolvedTarget: number | null = null;
            try {
              if (op.kind === 'switch') {
                const o = observers[op.observer]!;
                if (o.socket) {
                  await o.socket.close();
                  subscribe(o, 1 - o.on);
                }
              } else if (op.kind === 'cut') {
                await proxies[op.instance]!.cut();
                await proxies[op.instance]!.restore();
              } else if (op.kind === 'expire') {
                // As with a retention of days: both instances' feeds have long passed what it deletes.
                const { cursor } = await observers[0]!.http[0].chat.eventCursor.query();
                await expect.poll(() => servers.every((s) => compareIds(s.deps.events.position() ?? '0', cursor) >= 0), { timeout: 10_000 }).toBe(true);
                const run = await runEventRetention(servers[op.instance]!.orm, { keepMs: 0, batchSize: op.batch });
                outcome = `deleted ${run.deleted} events, horizon ${run.through}`;
              } else {
                const by = observers[op.by]!;
                const trpc = by.http[op.via]!;
                // A DM with oneself is refused anyway: aim DMs at someone else.
                const target = 'target' in op ? observers[op.kind === 'dm' ? (op.by + 1 + op.target) % users : op.target]!.user.id : '';
                resolvedTarget = 'target' in op ? observers.findIndex((x) => x.user.id === target) : null;
                switch (op.kind) {
                  case 'create': {
                    const created = await trpc.room.create.mutate({ name: `r${randomBytes(4).toString('hex')}`, kind: op.private ? 'private' : 'channel' });
                    rooms.push({ id: created.id, kind: created.kind });
                    members.set(created.id, new Set([by.user.id]));
                    break;
                  }
                  case 'dm': {
                    const dm = await trpc.room.openDirect.mutate({ userId: target });
                    if (!rooms.some((r) => r.id === dm.id)) rooms.push({ id: dm.id, kind: dm.kind });
                    members.set(dm.id, new Set([by.user.id, target]));
                    break;
                  }
                  default: {
                    if (!room) {
                      outcome = 'skipped (no room yet)';
                      break;
                    }
                    const roomId = room.id;
                    if (op.kind === 'join') {
                      await trpc.room.join.mutate({ roomId });
                      members.get(roomId)!.add(by.user.id);
                    } else if (op.kind === 'leave') {
                      await trpc.room.leave.mutate({ roomId });
                      members.get(roomId)!.delete(by.user.id);
                    } else if (op.kind === 'invite') {
                      await trpc.room.invite.mutate({ roomId, userId: target });
                      members.get(roomId)!.add(target);
                    } else if (op.kind === 'remove') {
                      await trpc.room.remove.mutate({ roomId, userId: target });
                      members.get(roomId)!.delete(target);
                    } else if (op.kind === 'send') {
                      const replyTo = op.reply === null ? undefined : pickMessage(roomId, op.reply, by.user.id, false);
                      const text = `op ${k} by ${by.user.username}${mentionOf(op.mention)}`;
                      const sent = await trpc.chat.send.mutate({ roomId, text, ...(replyTo ? { replyTo } : {}) });
                      messagesIn.set(roomId, [...(messagesIn.get(roomId) ?? []), sent.id]);
                      authorOf.set(sent.id, by.user.id);
                    } else if (op.kind === 'burst') {
                      // Members' sends are gathered into one statement; non-members' are refused within it.
                      const senders = observers.flatMap((o) => [o, o]);
                      const sends = await Promise.allSettled(senders.map((o, n) => o.http[op.via]!.chat.send.mutate({ roomId, text: `burst ${k}.${n} by ${o.user.username}` })));
                      const sent: { id: string; author: string }[] = [];
                      for (const [n, s] of sends.entries()) {
                        if (s.status === 'fulfilled') sent.push({ id: s.value.id, author: senders[n]!.user.id });
                        else if (!EXPECTED_REFUSALS.has(codeOf(s.reason))) throw s.reason;
                      }
                      sent.sort((a, b) => compareIds(a.id, b.id));
                      messagesIn.set(roomId, [...(messagesIn.get(roomId) ?? []), ...sent.map((m) => m.id)]);
                      for (const m of sent) authorOf.set(m.id, m.author);
                      outcome = `${sent.length} of ${sends.length} sent`;
                    } else if (op.kind === 'edit' || op.kind === 'delete' || op.kind === 'react') {
                      const messageId = pickMessage(roomId, op.msg, by.user.id, op.kind !== 'react');
                      if (!messageId) outcome = 'skipped (no message yet)';
                      else if (op.kind === 'edit') {
                        const text = `${op.lines ? '\n  ' : ''}edit ${k} by ${by.user.username}${mentionOf(op.mention)}${op.lines ? '\nsecond line' : ''}`;
                        await trpc.chat.edit.mutate({ messageId, text });
                      } else if (op.kind === 'delete') {
                        await trpc.chat.delete.mutate({ messageId });
                        deleted.add(messageId);
                      } else {
                        await trpc.chat.react.mutate({ messageId, emoji: EMOJI[op.emoji]!, on: op.on });
                      }
                    } else if (op.kind === 'read') {
                      const last = messagesIn.get(roomId)?.at(-1);
                      if (!last) outcome = 'skipped (no message yet)';
                      else await trpc.room.markRead.mutate({ roomId, messageId: last });
                    } else if (op.kind === 'rename') {
                      await trpc.room.update.mutate({ roomId, topic: `topic ${k}`, ...(k % 2 ? { name: `n${k}${randomBytes(3).toString('hex')}` } : {}) });
                    }
                  }
                }
              }
            } catch (error) {
              const code = codeOf(error);
              if (!EXPECTED_REFUSALS.has(code)) throw new Error(`operation ${k} ${JSON.stringify(op)} failed unexpectedly: ${code}`, { cause: error });
              outcome = `refused ${code}`;
            }
            membershipAfter.push(copy());
            boundaries.push((await observers[0]!.http[0].chat.eventCursor.query()).cursor);
            const named = { ...op, ...(room ? { room: room.id.slice(0, 8) } : {}), ...(resolvedTarget !== null ? { target: resolvedTarget } : {}) };
            log.push(`  ${k}: ${JSON.stringify(named)} -> ${outcome}, events up to ${boundaries.at(-1)}`);
            debug(log.at(-1)!);
          }

          // Every observer converges on a fresh snapshot (events may still be on their way: wait a little).
          const converged = async (o: Observer) => {
            let expected: ReturnType<typeof comparable> | undefined;
            let actual: ReturnType<typeof comparable> | undefined;
            let listed: ReturnType<typeof roomList> | undefined;
            for (let attempt = 0; attempt < 100; attempt++) {
              if (o.failure) throw o.failure;
              await o.draining;
              expected = comparable(await takeSnapshot(o.http[o.on]!, o.user.id));
              actual = comparable(o.state!);
              listed = byId(roomList(o.list!));
              if (isDeepStrictEqual(expected, actual) && isDeepStrictEqual(expected.rooms, listed) && o.queue.length === 0) break;
              await new Promise((r) => setTimeout(r, 50));
            }
            return { o, expected, actual, listed };
          };
          for (const { o, expected, actual, listed } of await Promise.all(observers.map(converged))) {
            expect(actual, `${o.user.username} (snapshot before operation ${snapshotAt[observers.indexOf(o)]}) differs from a fresh snapshot:\n${log.join('\n')}`).toEqual(expected);
            expect(listed, `${o.user.username}'s room list (the web's fold) differs from a fresh room.list:\n${log.join('\n')}`).toEqual(expected?.rooms);
          }

          // No observer got an event of a room it was not in, just before or just after the operation that made it.
          for (const o of observers) {
            for (const event of o.received) {
              const k = boundaries.findIndex((b, i) => i > 0 && compareIds(event.eventId, b) <= 0) - 1;
              const before = k <= 0 ? (k === 0 ? before0 : undefined) : membershipAfter[k - 1];
              const after = membershipAfter[k];
              const visible = k >= 0 && (before?.get(event.roomId)?.has(o.user.id) || after?.get(event.roomId)?.has(o.user.id));
              seen[event.type] = (seen[event.type] ?? 0) + 1;
              expect(visible, `${o.user.username} received ${JSON.stringify(event)} (operation ${k}) of a room it was not in:\n${log.join('\n')}`).toBe(true);
            }
          }
        } finally {
          for (const o of observers) await o.socket?.close();
        }
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    // Not vacuous: the observers did receive and check events of every durable kind.
    debug(`events checked: ${JSON.stringify(seen)}`);
    // (The rarer kinds, room.left, room.updated and read.updated, come a few times per seed: not asserted, to stay deterministic.)
    expect(seen['message.created'] ?? 0).toBeGreaterThan(0);
    expect(seen['room.joined'] ?? 0).toBeGreaterThan(0);
    // Issue 15's kinds come at every seed too, though not each one in every run.
    expect((seen['message.edited'] ?? 0) + (seen['message.deleted'] ?? 0) + (seen['reaction.changed'] ?? 0)).toBeGreaterThan(0);
  },
  // About 3 s a run on a quiet machine; room for a loaded CI runner.
  Math.max(120_000, RUNS * 10_000),
);
