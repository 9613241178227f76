import { describe, expect, it } from 'vitest';
import { createDispatcher, type DispatcherOptions, type StreamItem } from './dispatcher';
import type { EventFeed } from './event-feed';
import type { StoredEvent } from './stored-event';

/** A feed the test drives by hand: the dispatcher only subscribes to it. */
function handFeed() {
  const listeners = new Set<(event: StoredEvent) => void>();
  const feed: EventFeed = {
    subscribe: (l) => (listeners.add(l), () => void listeners.delete(l)),
    position: () => null,
    catchUp: async () => {},
    ready: Promise.resolve(),
    close: () => {},
  };
  let id = 100;
  const emit = (e: Partial<StoredEvent> & Pick<StoredEvent, 'type' | 'roomId'>) => {
    const event: StoredEvent = { id: String(++id), userId: null, message: null, messageId: null, payload: null, createdAt: '', ...e };
    for (const l of listeners) l(event);
    return event;
  };
  return { feed, emit };
}

/** For the tests of durable routing: nobody online, no room has members. */
const noPresence: DispatcherOptions = {
  presence: { get: () => undefined, snapshot: () => [] },
  loadRoomMembers: async (roomIds) => ({ eventId: '0', rooms: roomIds.map((id) => ({ id, memberCount: 0, memberIds: [] })) }),
  presenceRoomMemberLimit: 100,
};

const ids = (items: StreamItem[]) => items.flatMap((i) => (i.durable ? [`${i.durable.type}@${i.durable.roomId}`] : []));

describe('dispatcher', () => {
  it('hands a DM’s event to its two members’ streams only, among 10,000 streams', () => {
    const { feed, emit } = handFeed();
    const dispatcher = createDispatcher(feed, noPresence);
    let pushes = 0;
    for (let i = 0; i < 10_000; i++) {
      const sink = dispatcher.register(`user-${i}`, () => pushes++);
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
    dispatcher.activate(dispatcher.register('u', (i) => items.push(i)), [], '0');
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
    const sink = dispatcher.register('u', (i) => items.push(i));
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
    const sink = dispatcher.register('u', (i) => items.push(i));
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
    const sink = dispatcher.register('u', (i) => items.push(i));
    for (let i = 0; i < 10_001; i++) emit({ type: 'message.created', roomId: 'r', userId: 'other' });
    expect(dispatcher.activate(sink, ['r'], '0')).toBe(false);
    const last = emit({ type: 'message.created', roomId: 'r', userId: 'other' });
    expect(dispatcher.activate(sink, ['r'], String(Number(last.id) - 1))).toBe(true);
    expect(items).toHaveLength(1);
  });
});
