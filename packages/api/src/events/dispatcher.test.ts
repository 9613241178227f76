import { describe, expect, it } from 'vitest';
import { CallbackSink, createDispatcher, type DispatcherOptions, type StreamItem } from './dispatcher';
import type { Topic } from '../bus/topics';
import type { EventFeed } from './event-feed';
import type { StoredEvent } from './stored-event';

/** A feed the test drives by hand: the dispatcher only subscribes to it. */
function handFeed() {
  const listeners = new Set<(event: StoredEvent) => void>();
  /** Topics followed, counted as a scoped feed counts them. */
  const following = new Map<string, number>();
  const feed: EventFeed = {
    subscribe: (l) => (listeners.add(l), () => void listeners.delete(l)),
    position: () => null,
    catchUp: async () => {},
    ready: Promise.resolve(),
    scoped: true,
    follow: async (topics) => void topics.forEach((t) => following.set(t, (following.get(t) ?? 0) + 1)),
    unfollow: (topics) => topics.forEach((t) => (following.get(t) === 1 ? following.delete(t) : following.set(t, following.get(t)! - 1))),
    followed: () => [...following.keys()] as Topic[],
    close: () => {},
  };
  let id = 100;
  const emit = (e: Partial<StoredEvent> & Pick<StoredEvent, 'type' | 'roomId'>) => {
    const event: StoredEvent = { id: String(++id), userId: null, message: null, messageId: null, payload: null, createdAt: '', ...e };
    for (const l of listeners) l(event);
    return event;
  };
  return { feed, emit, following };
}

/** For the tests of durable routing: nobody online, no room has members. */
const noPresence: DispatcherOptions = {
  presence: { get: () => undefined, snapshot: () => [] },
  loadRoomMembers: async (roomIds) => ({ eventId: '0', rooms: roomIds.map((id) => ({ id, memberCount: 0, memberIds: [] })) }),
  presenceRoomMemberLimit: 100,
};

const ids = (items: StreamItem[]) => items.flatMap((i) => (i.durable ? [`${i.durable.type}@${i.durable.roomId}`] : []));

describe('dispatcher', () => {
  it('follows a room and a user while a stream here needs them, and lets go with the last (a scoped bus, decision 158)', () => {
    const { feed, emit, following } = handFeed();
    const dispatcher = createDispatcher(feed, noPresence);
    const u1 = dispatcher.register(new CallbackSink('u1', () => {}));
    const u2 = dispatcher.register(new CallbackSink('u2', () => {}));
    dispatcher.activate(u1, ['a', 'b'], '0');
    dispatcher.activate(u2, ['b'], '0');
    expect(Object.fromEntries(following)).toEqual({ 'user:u1': 1, 'user:u2': 1, 'room:a': 1, 'room:b': 1 });
    emit({ type: 'room.joined', roomId: 'c', userId: 'u2' });
    expect(following.get('room:c')).toBe(1);
    emit({ type: 'room.left', roomId: 'b', userId: 'u1' });
    expect(following.get('room:b')).toBe(1);
    dispatcher.unregister(u2);
    expect([...following.keys()].sort()).toEqual(['room:a', 'user:u1']);
    dispatcher.unregister(u1);
    expect(following.size).toBe(0);
  });

  it('hands a DM’s event to its two members’ streams only, among 10,000 streams', () => {
    const { feed, emit } = handFeed();
    const dispatcher = createDispatcher(feed, noPresence);
    let pushes = 0;
    for (let i = 0; i < 10_000; i++) {
      const sink = dispatcher.register(new CallbackSink(`user-${i}`, () => pushes++));
      dispatcher.activate(sink, i < 2 ? ['everyone', 'dm'] : ['everyone'], '0');
    }
    emit({ type: 'message.created', roomId: 'dm', userId: 'user-0' });
    expect(pushes).toBe(2);
    emit({ type: 'message.created', roomId: 'everyone', userId: 'user-0' });
    expect(pushes).toBe(2 + 10_000);
  });

  it('lets a joiner see its join and a leaver its leave, and nothing of the room after', () => {
    const { feed, emit } = handFeed();
    const dispatcher = createDispatcher(feed, noPresence);
    const items: StreamItem[] = [];
    dispatcher.activate(dispatcher.register(new CallbackSink('u', (i) => items.push(i))), [], '0');
    emit({ type: 'message.created', roomId: 'r', userId: 'other' });
    emit({ type: 'room.joined', roomId: 'r', userId: 'u' });
    emit({ type: 'message.created', roomId: 'r', userId: 'other' });
    emit({ type: 'room.left', roomId: 'r', userId: 'u' });
    emit({ type: 'message.created', roomId: 'r', userId: 'other' });
    emit({ type: 'read.updated', roomId: 'r', userId: 'other' });
    expect(ids(items)).toEqual(['room.joined@r', 'message.created@r', 'room.left@r']);
  });

  it('judges what arrived while the membership was being read against it, from the membership’s event on', () => {
    const { feed, emit } = handFeed();
    const dispatcher = createDispatcher(feed, noPresence);
    const items: StreamItem[] = [];
    const sink = dispatcher.register(new CallbackSink('u', (i) => items.push(i)));
    // Read as of event 102: member of r (joined before), not of s.
    const before = emit({ type: 'message.created', roomId: 'r', userId: 'other' }); // 101: the replay's
    emit({ type: 'message.created', roomId: 'r', userId: 'other' }); // 102: the replay's
    emit({ type: 'room.joined', roomId: 's', userId: 'u' }); // 103: after the read
    emit({ type: 'message.created', roomId: 's', userId: 'other' }); // 104
    dispatcher.activate(sink, ['r'], '102');
    expect(before.id).toBe('101');
    expect(ids(items)).toEqual(['room.joined@s', 'message.created@s']);
    emit({ type: 'message.created', roomId: 'r', userId: 'other' });
    expect(ids(items).at(-1)).toBe('message.created@r');
  });

  it('stops handing anything to an unregistered stream', () => {
    const { feed, emit } = handFeed();
    const dispatcher = createDispatcher(feed, noPresence);
    const items: StreamItem[] = [];
    const sink = dispatcher.register(new CallbackSink('u', (i) => items.push(i)));
    dispatcher.activate(sink, ['r'], '0');
    dispatcher.unregister(sink);
    emit({ type: 'message.created', roomId: 'r', userId: 'other' });
    dispatcher.typing({ type: 'typing', roomId: 'r', user: { id: 'x', username: 'x' }, typing: true });
    expect(items).toEqual([]);
  });
});

describe('dispatcher under a flood while a membership is read', () => {
  it('asks for the membership again instead of keeping every event', () => {
    const { feed, emit } = handFeed();
    const dispatcher = createDispatcher(feed, noPresence);
    const items: StreamItem[] = [];
    const sink = dispatcher.register(new CallbackSink('u', (i) => items.push(i)));
    for (let i = 0; i < 10_001; i++) emit({ type: 'message.created', roomId: 'r', userId: 'other' });
    expect(dispatcher.activate(sink, ['r'], '0')).toBe(false);
    const last = emit({ type: 'message.created', roomId: 'r', userId: 'other' });
    expect(dispatcher.activate(sink, ['r'], String(Number(last.id) - 1))).toBe(true);
    expect(items).toHaveLength(1);
  });
});
