import type { OnlineUser } from '../presence/presence';
import { idAfter } from '../schemas/ids';
import { createPresenceScope, type LoadRoomMembers } from '../presence/presence-scope';
import type { EphemeralEvent } from '../room-shapes';
import { roomTopic, userTopic } from '../bus/topics';
import type { EventFeed } from './event-feed';
import { isOwnEvent, type StoredEvent } from './stored-event';

/** What a stream is handed: a durable event to authorise and render, or an ephemeral one. */
export type StreamItem =
  | {
      durable: StoredEvent;
      ephemeral?: undefined;
      /**
       * Set on the item of an event's room loop: every stream it is pushed to is in the event's room
       * at that moment. Only a take in the same turn may rely on it (a handed-over stream's), not one
       * from a queue: the reader may have left since.
       */
      member?: true;
    }
  | { durable?: undefined; ephemeral: EphemeralEvent; member?: undefined };

/**
 * Whose presence a stream is told of: members of the small rooms its reader shares with them
 * (chat.onEvent, docs/decisions/121), or everyone this instance sees online (chat.onPresence,
 * which has always shown the whole view).
 */
export type PresenceReach = 'shared-rooms' | 'instance';

/**
 * One subscription (any of chat.onEvent, onMessage, onTyping, onPresence) as the dispatcher knows
 * it. The reader stream's view extends it (docs/decisions/174): a broadcast to thousands then reads
 * one object per stream, the view itself. The fields after `userId` are the dispatcher's own
 * bookkeeping; nothing else writes them.
 */
export abstract class Sink {
  /** The rooms the user is in as of the last event the dispatcher handed this sink. */
  readonly rooms = new Set<string>();
  /** Set only while an event's room loop runs: this is one of its subject's own streams, judged already. */
  judged = false;
  /** Until activated: every event, kept to be judged once the membership is known. */
  pending: StoredEvent[] | null = [];
  /** More than PENDING_MAX events came while the membership was read: read it again. */
  pendingOverflowed = false;
  /** Its presence snapshot is taken: changes from then on are pushed (earlier ones are in the snapshot). */
  presenceStarted = false;

  constructor(
    readonly userId: string,
    /** Whose presence this stream is told of. */
    readonly presenceReach: PresenceReach = 'shared-rooms',
  ) {}

  /** One item, in feed order, in the dispatcher's turn. */
  abstract receive(item: StreamItem): void;
}

/** A sink that hands its items to a function (tests, in-process listeners). */
export class CallbackSink extends Sink {
  constructor(
    userId: string,
    private readonly push: (item: StreamItem) => void,
    presenceReach?: PresenceReach,
  ) {
    super(userId, presenceReach);
  }

  receive(item: StreamItem) {
    this.push(item);
  }
}

/** Metrics: told of each message handed to streams, and of each change in their number. */
export interface DispatchObserver {
  /** Once per message.created, after it went to `streams` streams (one call, not one per stream: it is on the hot path). */
  delivered(event: StoredEvent, streams: number): void;
  streams(count: number): void;
}

export interface DispatcherOptions {
  /** This instance's presence view: who is online. */
  presence: { get(userId: string): OnlineUser | undefined; snapshot(): OnlineUser[] };
  /** Reads rooms' member counts and small rooms' members (RoomRepository.membersAt). */
  loadRoomMembers: LoadRoomMembers;
  /** PRESENCE_ROOM_MEMBER_LIMIT (docs/decisions/121-presence-by-shared-rooms.md). */
  presenceRoomMemberLimit: number;
  onError?: (error: unknown) => void;
}

/** Events kept for a stream whose membership is being read (one query: normally a handful). */
const PENDING_MAX = 10_000;

/**
 * The last stage of the pipeline append → bus → feed → dispatcher → sockets: keeps, per instance,
 * roomId → this instance's streams, updated in feed order as membership events pass, so an event
 * costs only its room's members' streams (a DM among 10,000 online users costs a DM).
 */
export function createDispatcher(feed: EventFeed, opts: DispatcherOptions) {
  const byRoom = new Map<string, Set<Sink>>();
  const byUser = new Map<string, Set<Sink>>();
  const pending = new Set<Sink>();
  const active = new Set<Sink>();
  /** Active streams told of every presence change on this instance (chat.onPresence). */
  const instanceWide = new Set<Sink>();
  let observer: DispatchObserver | null = null;
  const counted = () => observer?.streams(pending.size + active.size);
  /** Rooms a stream here left: let go of their presence cache once the event is fully handled, if no stream is in them. */
  const left = new Set<string>();
  const scope = createPresenceScope({
    limit: opts.presenceRoomMemberLimit,
    load: opts.loadRoomMembers,
    online: (userId) => opts.presence.get(userId),
    hasStreams: (userId) => byUser.has(userId),
    inUse: (roomId) => byRoom.has(roomId),
    tell(viewerId, user, online) {
      const sinks = byUser.get(viewerId);
      if (!sinks) return;
      const event: EphemeralEvent = { type: 'presence.changed', user, online };
      for (const sink of sinks) if (sink.presenceStarted && sink.presenceReach === 'shared-rooms') sink.receive({ ephemeral: event });
    },
    onError: opts.onError ?? (() => {}),
  });

  // A room or user with a stream here is a topic the feed follows (a scoped bus only delivers those: docs/decisions/158).
  const topicOf = (map: Map<string, Set<Sink>>, key: string) => (map === byRoom ? roomTopic(key) : userTopic(key));
  const index = (map: Map<string, Set<Sink>>, key: string, sink: Sink) => {
    let set = map.get(key);
    if (!set) {
      map.set(key, (set = new Set()));
      void feed.follow([topicOf(map, key)]);
    }
    set.add(sink);
  };
  const unindex = (map: Map<string, Set<Sink>>, key: string, sink: Sink) => {
    const set = map.get(key);
    if (set?.delete(sink) && set.size === 0) {
      map.delete(key);
      feed.unfollow([topicOf(map, key)]);
    }
  };

  const enter = (sink: Sink, roomId: string) => {
    sink.rooms.add(roomId);
    if (!active.has(sink)) return;
    index(byRoom, roomId, sink);
    scope.want([roomId]);
  };
  const exit = (sink: Sink, roomId: string) => {
    sink.rooms.delete(roomId);
    unindex(byRoom, roomId, sink);
    if (!byRoom.has(roomId)) left.add(roomId);
  };
  const releaseLeft = () => {
    for (const roomId of left) if (!byRoom.has(roomId)) scope.release(roomId);
    left.clear();
  };

  /** One sink's share of one event, in feed order: membership first (a joiner sees their join), removal after (a leaver sees their leave). */
  const judge = (sink: Sink, event: StoredEvent, item: StreamItem = { durable: event }) => {
    if (event.userId !== sink.userId) {
      if (!isOwnEvent(event.type) && sink.rooms.has(event.roomId)) sink.receive(item);
      return;
    }
    if (event.type === 'room.joined') enter(sink, event.roomId);
    if (isOwnEvent(event.type) || sink.rooms.has(event.roomId)) sink.receive(item);
    if (event.type === 'room.left') exit(sink, event.roomId);
  };

  const unsubscribe = feed.subscribe((event) => {
    for (const sink of pending) {
      if (sink.pending!.length < PENDING_MAX) sink.pending!.push(event);
      else sink.pendingOverflowed = true;
    }
    // One item for every stream: streams only read it, and a broadcast to thousands allocates one, not thousands.
    const item: StreamItem = { durable: event };
    const own = event.userId === null ? undefined : byUser.get(event.userId);
    if (isOwnEvent(event.type)) {
      if (own) for (const sink of own) judge(sink, event, item);
      return;
    }
    // The subject's own streams first when the event moves them in or out of the room. Any other
    // event finds them in the room like everyone else (a user may have hundreds of streams: bots).
    const moves = own !== undefined && (event.type === 'room.joined' || event.type === 'room.left');
    if (moves) for (const sink of own) judge(sink, event, item);
    const room = byRoom.get(event.roomId);
    if (room) {
      // One item for the room's streams, saying they are members: a handed-over stream then skips
      // its own look at its rooms (a Set and its table, two cache misses per delivery in a broadcast).
      const roomItem: StreamItem = { durable: event, member: true };
      if (!moves) for (const sink of room) sink.receive(roomItem);
      else {
        // A joiner's streams were just entered into the room and judged: marked, not found by
        // comparing user ids (a string compare per stream reads every stream's own id string).
        for (const sink of own) sink.judged = true;
        try {
          for (const sink of room) if (!sink.judged) sink.receive(roomItem);
        } finally {
          for (const sink of own) sink.judged = false;
        }
      }
    }
    // The subject's streams are among the room's (a message's author is a member).
    if (observer && event.type === 'message.created') observer.delivered(event, room?.size ?? 0);
    // After the durable pushes, so a stream sees a join before the presence it brings.
    scope.apply(event);
    releaseLeft();
  });

  return {
    /** Starts collecting events for a new stream, before its membership is read. */
    register<S extends Sink>(sink: S): S {
      pending.add(sink);
      counted();
      return sink;
    },

    /**
     * The stream's membership as of event `at` is known: judge what came in meanwhile (events up to
     * `at` are already reflected in it and are the replay's to send), then follow the feed. False
     * when too much came in meanwhile to judge: read the membership again and call again. `earlier`
     * is handed those events up to `at` (a stream that starts "live from its subscription", as
     * chat.onMessage always has, sends what passed while its membership was read).
     */
    activate(sink: Sink, roomIds: string[], at: string, earlier?: (event: StoredEvent) => void): boolean {
      if (sink.pendingOverflowed) {
        sink.pending = [];
        sink.pendingOverflowed = false;
        return false;
      }
      if (!pending.delete(sink)) return true;
      for (const roomId of roomIds) sink.rooms.add(roomId);
      const seen = sink.pending ?? [];
      sink.pending = null;
      active.add(sink);
      if (sink.presenceReach === 'instance') instanceWide.add(sink);
      index(byUser, sink.userId, sink);
      for (const roomId of sink.rooms) index(byRoom, roomId, sink);
      scope.want(sink.rooms);
      for (const event of seen) {
        if (idAfter(event.id, at)) judge(sink, event);
        else earlier?.(event);
      }
      releaseLeft();
      return true;
    },

    /**
     * The presence.snapshot an active stream starts with: who is online among the members of its
     * small rooms, and itself (once those rooms are read). From then on it is told what changes.
     */
    async presenceSnapshot(sink: Sink): Promise<OnlineUser[]> {
      if (sink.presenceReach === 'instance') {
        sink.presenceStarted = true;
        return opts.presence.snapshot();
      }
      await scope.loaded(sink.rooms);
      // In the same turn as the read: nothing changes between the snapshot and the changes that follow it.
      sink.presenceStarted = true;
      return scope.visibleOnline(sink.userId);
    },

    unregister(sink: Sink) {
      const wasPending = pending.delete(sink);
      if (!active.delete(sink)) {
        if (wasPending) counted();
        return;
      }
      counted();
      instanceWide.delete(sink);
      unindex(byUser, sink.userId, sink);
      for (const roomId of sink.rooms) {
        unindex(byRoom, roomId, sink);
        if (!byRoom.has(roomId)) scope.release(roomId);
      }
    },

    /** Typing in a room: to that room's streams on this instance, except the typer's own. */
    typing(event: Extract<EphemeralEvent, { type: 'typing' }>) {
      const room = byRoom.get(event.roomId);
      if (room) for (const sink of room) if (sink.userId !== event.user.id) sink.receive({ ephemeral: event });
    },

    /** A presence change: to the user's streams and those sharing a small room with them (docs/decisions/121). */
    presence(event: Extract<EphemeralEvent, { type: 'presence.changed' }>) {
      scope.changed(event.user, event.online);
      for (const sink of instanceWide) if (sink.presenceStarted) sink.receive({ ephemeral: event });
    },

    /** An event only its subject hears (role.changed, notifications.changed, focus.changed): to the user's own streams on this instance. */
    own(userId: string, event: Extract<EphemeralEvent, { type: 'role.changed' | 'notifications.changed' | 'focus.changed' }>) {
      const sinks = byUser.get(userId);
      if (sinks) for (const sink of sinks) sink.receive({ ephemeral: event });
    },

    /** Metrics (apps/server observability): one observer. */
    observe(next: DispatchObserver) {
      observer = next;
    },

    /** For tests: how many rooms this instance caches for presence, and how many are small. */
    presenceCacheSize: () => scope.size(),

    close() {
      unsubscribe();
      scope.close();
    },
  };
}
export type Dispatcher = ReturnType<typeof createDispatcher>;
