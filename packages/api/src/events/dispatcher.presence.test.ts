import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OnlineUser } from '../presence/presence';
import type { LoadRoomMembers } from '../presence/presence-scope';
import { CallbackSink, createDispatcher, type PresenceReach } from './dispatcher';
import type { EventFeed } from './event-feed';
import type { StoredEvent } from './stored-event';

/**
 * The dispatcher between a membership table it reads and a feed that may lag behind it, as in
 * production: `commit` changes the table and queues the event (ids in commit order); `deliver`
 * hands queued events to the feed; reads of rooms answer from the table as of the newest id, at
 * once or (manualReads) when the test runs and then finishes them.
 */
function presenceWorld(limit: number, opts: { manualReads?: boolean } = {}) {
  const listeners = new Set<(event: StoredEvent) => void>();
  const feed: EventFeed = {
    subscribe: (l) => (listeners.add(l), () => void listeners.delete(l)),
    position: () => null,
    catchUp: async () => {},
    ready: Promise.resolve(),
    scoped: false,
    follow: () => Promise.resolve(),
    unfollow: () => {},
    followed: () => [],
    close: () => {},
  };
  const members = new Map<string, Set<string>>();
  const online = new Map<string, OnlineUser>();
  const queue: StoredEvent[] = [];
  let lastId = 0;
  let reads = 0;

  const tableAsOfNow = (roomIds: string[], smallLimit: number) => ({
    eventId: String(lastId),
    rooms: roomIds.map((id) => {
      const m = members.get(id) ?? new Set<string>();
      return { id, memberCount: m.size, memberIds: m.size <= smallLimit ? [...m] : null };
    }),
  });
  const pendingReads: { run: () => void; finish: () => void }[] = [];
  const loadRoomMembers: LoadRoomMembers = (roomIds, smallLimit) => {
    reads++;
    if (!opts.manualReads) return Promise.resolve(tableAsOfNow(roomIds, smallLimit));
    return new Promise((resolve) => {
      let result: ReturnType<typeof tableAsOfNow> | null = null;
      pendingReads.push({ run: () => void (result ??= tableAsOfNow(roomIds, smallLimit)), finish: () => resolve(result ?? tableAsOfNow(roomIds, smallLimit)) });
    });
  };
  const dispatcher = createDispatcher(feed, { presence: { get: (id) => online.get(id), snapshot: () => [...online.values()] }, loadRoomMembers, presenceRoomMemberLimit: limit });

  const deliver = (n = Infinity) => {
    for (; n > 0 && queue.length > 0; n--) {
      const event = queue.shift()!;
      for (const l of listeners) l(event);
    }
  };
  /** A join or leave committed (when it changes anything); delivered at once unless `lag`. */
  const commit = (type: 'room.joined' | 'room.left', roomId: string, userId: string, lag = false) => {
    let set = members.get(roomId);
    if (!set) members.set(roomId, (set = new Set()));
    if (type === 'room.joined' ? set.has(userId) : !set.has(userId)) return;
    if (type === 'room.joined') set.add(userId);
    else set.delete(userId);
    const payload = type === 'room.joined' ? { room: { memberCount: set.size }, user: { id: userId, username: userId } } : { memberCount: set.size, user: { id: userId, username: userId } };
    queue.push({ id: String(++lastId), type, roomId, userId, message: null, messageId: null, payload, createdAt: '' });
    if (!lag) deliver();
  };
  const setOnline = (userId: string, on: boolean) => {
    if (online.has(userId) === on) return;
    const user = { id: userId, username: userId };
    if (on) online.set(userId, user);
    else online.delete(userId);
    dispatcher.presence({ type: 'presence.changed', user, online: on });
  };
  const roomsOf = (userId: string) => [...members].filter(([, m]) => m.has(userId)).map(([id]) => id);

  /**
   * A stream of `userId`: its membership read now, its presence snapshot taken once its rooms are read.
   * `shared-rooms` is chat.onEvent's reach, `instance` chat.onPresence's.
   */
  const connect = (userId: string, reach: PresenceReach = 'shared-rooms') => {
    const stream = { userId, reach, snapshot: null as string[] | null, changes: [] as { id: string; online: boolean }[], open: true };
    const sink = dispatcher.register(
      new CallbackSink(
        userId,
        (item) => {
          if (item.ephemeral?.type === 'presence.changed') stream.changes.push({ id: item.ephemeral.user.id, online: item.ephemeral.online });
        },
        reach,
      ),
    );
    dispatcher.activate(sink, roomsOf(userId), String(lastId));
    const snapshot = dispatcher.presenceSnapshot(sink).then((users) => void (stream.snapshot = users.map((u) => u.id)));
    return {
      stream,
      snapshot,
      /** What the stream was told is online: the snapshot, then the changes (none is pushed before it). */
      told() {
        const now = new Set(stream.snapshot ?? []);
        for (const c of stream.changes) {
          if (c.online) now.add(c.id);
          else now.delete(c.id);
        }
        return [...now].sort();
      },
      close() {
        stream.open = false;
        dispatcher.unregister(sink);
      },
    };
  };

  /** Who `userId` should see online: themselves and the members of their rooms of at most `limit` members. */
  const truth = (userId: string) => {
    const seen = new Set<string>([userId]);
    for (const m of members.values()) if (m.has(userId) && m.size <= limit) for (const id of m) seen.add(id);
    return [...seen].filter((id) => online.has(id)).sort();
  };
  /** Who a stream of `reach` should see online. */
  const truthFor = (userId: string, reach: PresenceReach) => (reach === 'instance' ? [...online.keys()].sort() : truth(userId));

  const settle = async () => {
    for (let i = 0; i < 20; i++) {
      deliver();
      while (pendingReads.length) {
        const read = pendingReads.shift()!;
        read.run();
        read.finish();
      }
      await new Promise((r) => setImmediate(r));
    }
  };

  return { dispatcher, commit, deliver, setOnline, connect, truth, truthFor, settle, pendingReads, reads: () => reads };
}

describe('presence on chat.onEvent, scoped to shared small rooms', () => {
  it('tells a change only to the streams sharing a small room with its user, among 10,000 streams in a large #everyone', async () => {
    const w = presenceWorld(100);
    for (let i = 0; i < 10_000; i++) w.commit('room.joined', 'everyone', `u${i}`);
    for (let i = 0; i < 5; i++) w.commit('room.joined', 'small', `u${i}`);
    w.commit('room.joined', 'dm', 'u9000');
    w.commit('room.joined', 'dm', 'u0');
    const streams = Array.from({ length: 10_000 }, (_, i) => w.connect(`u${i}`));
    await Promise.all(streams.map((s) => s.snapshot));
    // The first stream read #everyone and both small rooms in one go: every later one found them cached.
    expect(w.reads()).toBe(1);
    w.setOnline('u0', true);
    const told = streams.filter((s) => s.stream.changes.length > 0).map((s) => s.stream.userId);
    expect(told.sort()).toEqual(['u0', 'u1', 'u2', 'u3', 'u4', 'u9000']);
    w.setOnline('u5000', true);
    expect(streams.filter((s) => s.stream.changes.length > 0)).toHaveLength(7);
  });

  it('starts a stream with the online members of its small rooms and itself, never those of a large room', async () => {
    const w = presenceWorld(3);
    for (const u of ['me', 'a', 'b', 'c', 'd']) w.commit('room.joined', 'everyone', u);
    w.commit('room.joined', 'small', 'me');
    w.commit('room.joined', 'small', 'a');
    w.commit('room.joined', 'dm', 'me');
    w.commit('room.joined', 'dm', 'b');
    for (const u of ['me', 'a', 'b', 'c']) w.setOnline(u, true);
    const s = w.connect('me');
    await s.snapshot;
    expect(s.stream.snapshot?.sort()).toEqual(['a', 'b', 'me']);
  });

  it('follows joins and leaves of a small room mid-stream: what it brings is told, what it takes back too', async () => {
    const w = presenceWorld(3);
    for (const u of ['me', 'x', 'y']) w.setOnline(u, true);
    w.commit('room.joined', 'r', 'x');
    const me = w.connect('me');
    const x = w.connect('x');
    await Promise.all([me.snapshot, x.snapshot]);
    expect(me.told()).toEqual(['me']);
    w.commit('room.joined', 'r', 'me');
    await w.settle();
    expect(me.told()).toEqual(['me', 'x']);
    expect(x.told()).toEqual(['me', 'x']);
    w.setOnline('x', false);
    expect(me.told()).toEqual(['me']);
    w.setOnline('x', true);
    w.commit('room.left', 'r', 'me');
    expect(me.told()).toEqual(['me']);
    expect(x.told()).toEqual(['x']);
    w.setOnline('x', false);
    w.setOnline('x', true);
    expect(me.stream.changes.filter((c) => c.id === 'x')).toHaveLength(4);
  });

  it('takes presence back when a room grows past the limit, and gives it again when it shrinks back', async () => {
    const w = presenceWorld(3);
    for (const u of ['me', 'a', 'b', 'c']) w.setOnline(u, true);
    for (const u of ['me', 'a', 'b']) w.commit('room.joined', 'r', u);
    const me = w.connect('me');
    await me.snapshot;
    expect(me.told()).toEqual(['a', 'b', 'me']);
    w.commit('room.joined', 'r', 'c');
    expect(me.told()).toEqual(['me']);
    w.setOnline('a', false);
    w.setOnline('a', true);
    expect(me.told()).toEqual(['me']);
    w.commit('room.left', 'r', 'c');
    await w.settle();
    expect(me.told()).toEqual(['a', 'b', 'me']);
  });

  it('forgets a room once no stream of this instance is in it', async () => {
    const w = presenceWorld(3);
    w.commit('room.joined', 'r', 'a');
    w.commit('room.joined', 'r', 'b');
    w.commit('room.joined', 'big', 'a');
    for (const u of ['c', 'd', 'e']) w.commit('room.joined', 'big', u);
    const a = w.connect('a');
    await a.snapshot;
    expect(w.dispatcher.presenceCacheSize()).toEqual({ rooms: 2, small: 1 });
    w.commit('room.left', 'r', 'a');
    expect(w.dispatcher.presenceCacheSize()).toEqual({ rooms: 1, small: 0 });
    a.close();
    expect(w.dispatcher.presenceCacheSize()).toEqual({ rooms: 0, small: 0 });
  });

  it('judges membership events that pass while a room is read against the read’s own position', async () => {
    const w = presenceWorld(3, { manualReads: true });
    for (const u of ['me', 'a', 'b']) w.setOnline(u, true);
    w.commit('room.joined', 'r', 'me');
    w.commit('room.joined', 'r', 'a');
    const me = w.connect('me');
    // Committed before the read runs (its result includes b), delivered after: must not be applied twice.
    w.commit('room.joined', 'r', 'b', true);
    w.pendingReads[0]!.run();
    // Committed after the read ran, delivered before it finishes: must be applied.
    w.commit('room.left', 'r', 'a', true);
    w.deliver();
    w.pendingReads.shift()!.finish();
    await me.snapshot;
    expect(me.told()).toEqual(['b', 'me']);
    expect(w.truth('me')).toEqual(['b', 'me']);
  });
});

type Op =
  | { kind: 'join' | 'leave'; user: string; room: string; lag: boolean }
  | { kind: 'online'; user: string; on: boolean }
  | { kind: 'connect'; user: string; reach: PresenceReach }
  | { kind: 'disconnect' | 'runRead' | 'finishRead'; index: number }
  | { kind: 'deliver'; n: number }
  | { kind: 'tick' };

describe('presence on chat.onPresence, the whole instance', () => {
  it('starts with everyone online and hears every change, while a chat.onEvent stream of the same user in a large room hears none', async () => {
    const w = presenceWorld(2);
    for (const u of ['a', 'b', 'c']) w.commit('room.joined', 'everyone', u);
    w.setOnline('b', true);
    const whole = w.connect('a', 'instance');
    const scoped = w.connect('a');
    await Promise.all([whole.snapshot, scoped.snapshot]);
    expect(whole.stream.snapshot).toEqual(['b']);
    w.setOnline('c', true);
    w.setOnline('b', false);
    expect(whole.told()).toEqual(['c']);
    expect(whole.stream.changes).toEqual([
      { id: 'c', online: true },
      { id: 'b', online: false },
    ]);
    expect(scoped.stream.changes).toEqual([]);
  });
});

describe('presence scoping, property', () => {
  const users = ['u0', 'u1', 'u2', 'u3', 'u4'];
  const rooms = ['r0', 'r1', 'dm'];
  const user = fc.constantFrom(...users);
  const often = (arbitrary: fc.Arbitrary<unknown>, weight = 3) => ({ arbitrary, weight });
  const op = fc.oneof(
    often(fc.record({ kind: fc.constant('join' as const), user, room: fc.constantFrom(...rooms), lag: fc.boolean() }), 4),
    often(fc.record({ kind: fc.constant('leave' as const), user, room: fc.constantFrom(...rooms), lag: fc.boolean() })),
    often(fc.record({ kind: fc.constant('online' as const), user, on: fc.boolean() })),
    often(fc.record({ kind: fc.constant('connect' as const), user, reach: fc.constantFrom<PresenceReach>('shared-rooms', 'shared-rooms', 'instance') })),
    often(fc.record({ kind: fc.constant('disconnect' as const), index: fc.nat(10) }), 1),
    often(fc.record({ kind: fc.constant('deliver' as const), n: fc.integer({ min: 1, max: 3 }) })),
    often(fc.record({ kind: fc.constant('runRead' as const), index: fc.nat(5) })),
    often(fc.record({ kind: fc.constant('finishRead' as const), index: fc.nat(5) })),
    often(fc.record({ kind: fc.constant('tick' as const) }), 1),
  ) as fc.Arbitrary<Op>;

  it('after random joins, leaves, connects and reads racing a lagging feed, every stream was told exactly who is online in its small rooms (chat.onPresence: on the instance)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 20, maxLength: 80 }), async (ops) => {
        const w = presenceWorld(3, { manualReads: true });
        const streams: ReturnType<typeof w.connect>[] = [];
        for (const o of ops) {
          switch (o.kind) {
            case 'join':
            case 'leave':
              // The DM keeps two members at most, as a DM does.
              if (o.kind === 'join' && o.room === 'dm' && !['u0', 'u1'].includes(o.user)) break;
              w.commit(o.kind === 'join' ? 'room.joined' : 'room.left', o.room, o.user, o.lag);
              break;
            case 'online':
              w.setOnline(o.user, o.on);
              break;
            case 'connect':
              streams.push(w.connect(o.user, o.reach));
              break;
            case 'disconnect': {
              const open = streams.filter((s) => s.stream.open);
              open[o.index % Math.max(1, open.length)]?.close();
              break;
            }
            case 'deliver':
              w.deliver(o.n);
              break;
            case 'runRead':
              w.pendingReads[o.index % Math.max(1, w.pendingReads.length)]?.run();
              break;
            case 'finishRead': {
              const i = o.index % Math.max(1, w.pendingReads.length);
              const read = w.pendingReads[i];
              if (read) {
                w.pendingReads.splice(i, 1);
                read.finish();
              }
              break;
            }
            case 'tick':
              await new Promise((r) => setImmediate(r));
              break;
          }
        }
        await w.settle();
        for (const s of streams.filter((x) => x.stream.open)) {
          await s.snapshot;
          expect({ user: s.stream.userId, reach: s.stream.reach, told: s.told() }).toEqual({ user: s.stream.userId, reach: s.stream.reach, told: w.truthFor(s.stream.userId, s.stream.reach) });
        }
      }),
      { numRuns: 1000 },
    );
  });
});
