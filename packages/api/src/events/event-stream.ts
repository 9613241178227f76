import { type Orm, repositoriesFor } from '@chat/db';
import { BufferedSubscription } from '../bus/buffered-subscription';
import { DomainError } from '../errors';
import type { Presence } from '../presence/presence';
import type { TypingTracker } from '../presence/typing';
import type { ChatEvent, RoomMessage } from '../room-shapes';
import { toChatMessage } from '../shapes';
import type { EventWriter } from './push-lane-contract';
import type { Dispatcher, Sink, StreamItem } from './dispatcher';
import type { EventFeed } from './event-feed';
import { eventsAfter } from './events-after';
import { isOwnEvent, sharedViewFor, type StoredEvent } from './stored-event';

/** Live items a slow stream may have pending before it falls back to reading the database. */
const LIVE_BUFFER = 1000;

export interface StreamItemOut {
  /** The stream's cursor after this item: resuming from it loses and repeats nothing. */
  id: string;
  data: ChatEvent;
}

export interface EventStreamDeps {
  orm: Orm;
  feed: EventFeed;
  dispatcher: Dispatcher;
  presence: Presence;
  typing: TypingTracker;
  /** More events than this behind the newest, a resume gets `resync` instead of a replay. */
  replayLimit: number;
}

/** Whether `event` may still go to this stream when it is taken from the queue (drop-at-dequeue). */
const stillVisible = (sink: Sink, event: StoredEvent) =>
  isOwnEvent(event.type) || (event.type === 'room.left' && event.userId === sink.userId) || sink.rooms.has(event.roomId);

const ignore = () => {};

/**
 * Where the dispatcher sends one stream's items: its buffer while the stream is read through the
 * iterator, the stream's direct writer once handed over (`pushEvents`).
 */
class SinkRoute {
  to: (item: StreamItem) => void = ignore;
  readonly push = (item: StreamItem) => this.to(item);
}

/** Subscribes to the dispatcher and learns the membership it starts from; live items buffer meanwhile. */
async function openSink(deps: EventStreamDeps, userId: string, signal: AbortSignal) {
  await deps.feed.ready;
  const route = new SinkRoute();
  const sink = deps.dispatcher.register(userId, route.push);
  const live = new BufferedSubscription<StreamItem>(
    (listener) => {
      route.to = listener;
      return () => {
        if (route.to === listener) route.to = ignore;
      };
    },
    LIVE_BUFFER,
    signal,
  );
  const close = () => {
    live.close();
    deps.dispatcher.unregister(sink);
  };
  try {
    for (let attempt = 0; ; attempt++) {
      const { roomIds, eventId } = await repositoriesFor(deps.orm.em.fork()).events.membershipAt(userId);
      if (deps.dispatcher.activate(sink, roomIds, BigInt(eventId))) return { live, sink, route, at: BigInt(eventId), close };
      if (attempt === 2) throw new DomainError('SERVICE_UNAVAILABLE', 'The server is too busy to start your stream; try again', 2);
    }
  } catch (error) {
    close();
    throw error;
  }
}

/**
 * chat.onEvent: everything `userId` may see, authorised per event at that event's time. From
 * `lastEventId`: the stored events after it that they may see (or `resync` when too far behind),
 * then live ones, in id order with no gap and no duplicate; ephemeral items carry the cursor of
 * the last durable one. Without `lastEventId`: live from now. See docs/decisions/070 and 071.
 * With `push` (the server's push lane, docs/decisions/120), live items go through it once the
 * replay and the snapshot are out, and the generator returns the writer's stop.
 */
export async function* userEventStream(
  deps: EventStreamDeps,
  opts: { userId: string; lastEventId: string | null; signal: AbortSignal; push?: EventWriter | null },
): AsyncGenerator<StreamItemOut, (() => void) | void> {
  const { live, sink, route, at, close } = await openSink(deps, opts.userId, opts.signal);
  let handedOver = false;
  try {
    let position = opts.lastEventId === null ? at : BigInt(opts.lastEventId);
    const cursor = () => position.toString();

    const catchUp = async function* (): AsyncGenerator<StreamItemOut> {
      const newest = BigInt((await repositoriesFor(deps.orm.em.fork()).events.maxId()) ?? '0');
      // A cursor from the future (a restored database, a made-up id) gets a resync too.
      if (newest - position > BigInt(deps.replayLimit) || position > newest) {
        // Events up to `newest` are in any snapshot taken after this; later ones follow live.
        position = newest;
        yield { id: cursor(), data: { type: 'resync', eventId: cursor() } };
        return;
      }
      for await (const event of eventsAfter(deps.orm, position, opts.userId)) {
        position = BigInt(event.id);
        const view = sharedViewFor(event, opts.userId);
        if (view) yield { id: cursor(), data: view };
      }
    };

    /**
     * Who is online and who types, as of now: ephemeral items are never replayed, so this is how a
     * stream (re)starts exact. A start is announced once (renewals are silent), so a stream that
     * (re)starts while someone types would never learn it otherwise. The sink is live already, so
     * a change after these reads follows as an item.
     */
    const present = async function* (): AsyncGenerator<StreamItemOut> {
      yield { id: cursor(), data: { type: 'presence.snapshot', users: await deps.dispatcher.presenceSnapshot(sink) } };
      for (const { user, roomId } of deps.typing.typingIn(sink.rooms)) {
        if (user.id !== opts.userId) yield { id: cursor(), data: { type: 'typing', roomId, user, typing: true } };
      }
    };

    if (opts.lastEventId !== null) yield* catchUp();
    await deps.presence.ready;
    yield* present();
    // Resuming here means the consumer took the last item: it is on the wire, so live items may
    // now be written directly without overtaking it. After an overflow, the iterator catches up.
    if (opts.push && !live.overflowed && !opts.signal.aborted) {
      const stop = pushEvents(deps.dispatcher, sink, route, live, { userId: opts.userId, push: opts.push, position: cursor() });
      handedOver = true;
      return stop;
    }
    while (!opts.signal.aborted) {
      const item = await live.next();
      if (item === null) {
        if (!live.overflowed) return;
        // The buffer dropped items; the durable ones are all stored, so read them back. Dropped
        // presence and typing items are not: a fresh snapshot replaces them (clients reset on it).
        live.clearOverflow();
        yield* catchUp();
        yield* present();
        continue;
      }
      if (item.ephemeral) {
        if (item.ephemeral.type !== 'typing' || sink.rooms.has(item.ephemeral.roomId)) yield { id: cursor(), data: item.ephemeral };
        continue;
      }
      const event = item.durable;
      const id = BigInt(event.id);
      if (id <= position) continue;
      position = id;
      if (!stillVisible(sink, event)) continue;
      const view = sharedViewFor(event, opts.userId);
      if (view) yield { id: cursor(), data: view };
    }
  } finally {
    if (!handedOver) close();
  }
}

/** `a > b` for event ids (decimal, no leading zeros) without a BigInt per stream per event. */
const idAfter = (a: string, b: string) => (a.length === b.length ? a > b : a.length > b.length);

/**
 * Hands a stream over to its push writer in one synchronous step: drains what was buffered, then
 * the dispatcher's items go straight to `deliver`, by the iterator loop's rules. Returns the stop,
 * which unregisters the sink. A module-level function, so the listener holds only these variables:
 * not the subscription's signal, which a transport that keeps the subscription (decision 122) no
 * longer needs; whoever ends the subscription calls `stop` in the same turn (HandOffStream's abort
 * listener, or the transport).
 */
function pushEvents(
  dispatcher: Dispatcher,
  sink: Sink,
  route: SinkRoute,
  live: BufferedSubscription<StreamItem>,
  opts: { userId: string; push: EventWriter; position: string },
) {
  const { userId, push } = opts;
  let position = opts.position;
  let open = true;
  const stop = () => {
    if (!open) return;
    open = false;
    route.to = ignore;
    dispatcher.unregister(sink);
  };
  const deliver = (item: StreamItem) => {
    if (!open) return;
    if (item.ephemeral) {
      if (item.ephemeral.type === 'typing' && !sink.rooms.has(item.ephemeral.roomId)) return;
      if (!push(position, item.ephemeral)) stop();
      return;
    }
    const event = item.durable;
    if (!idAfter(event.id, position)) return;
    position = event.id;
    if (!stillVisible(sink, event)) return;
    const view = sharedViewFor(event, userId);
    if (view && !push(position, view)) stop();
  };
  for (let item = live.take(); item; item = live.take()) deliver(item);
  live.close();
  if (open) route.to = deliver;
  return stop;
}

/**
 * chat.onMessage with a roomId that is not #everyone: the room's messages after `lastEventId` (a
 * message id), then live ones; ends when the caller leaves or is removed.
 */
export async function* roomMessageStream(
  deps: EventStreamDeps,
  opts: { userId: string; roomId: string; lastEventId: string | null; signal: AbortSignal },
): AsyncGenerator<RoomMessage> {
  const { live, sink, close } = await openSink(deps, opts.userId, opts.signal);
  try {
    let last = opts.lastEventId === null ? null : BigInt(opts.lastEventId);
    const catchUp = async function* () {
      if (last === null) return;
      for (;;) {
        const page = await repositoriesFor(deps.orm.em.fork()).messages.listAfter(last.toString(), 200, opts.roomId);
        for (const m of page) {
          last = BigInt(m.id);
          yield { ...toChatMessage(m), roomId: opts.roomId };
        }
        if (page.length < 200) return;
      }
    };
    if (!sink.rooms.has(opts.roomId)) return;
    yield* catchUp();
    while (!opts.signal.aborted && sink.rooms.has(opts.roomId)) {
      const item = await live.next();
      if (item === null) {
        if (!live.overflowed) return;
        live.clearOverflow();
        yield* catchUp();
        continue;
      }
      const event = item.durable;
      if (!event || event.roomId !== opts.roomId || event.type !== 'message.created' || !event.message) continue;
      if (!sink.rooms.has(opts.roomId)) return;
      const id = BigInt(event.message.id);
      if (last !== null && id <= last) continue;
      last = id;
      yield event.message;
    }
  } finally {
    close();
  }
}
