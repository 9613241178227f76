import { type Orm, repositoriesFor } from '@chat/db';
import { BufferedSubscription } from '../bus/buffered-subscription';
import { DomainError } from '../errors';
import type { Presence } from '../presence/presence';
import type { TypingTracker } from '../presence/typing';
import type { ChatEvent, RoomMessage } from '../room-shapes';
import { toChatMessage } from '../shapes';
import type { Dispatcher, Sink, StreamItem } from './dispatcher';
import type { EventFeed } from './event-feed';
import { eventsAfter } from './events-after';
import { isOwnEvent, type StoredEvent, viewFor } from './stored-event';

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

/** Subscribes to the dispatcher and learns the membership it starts from; live items buffer meanwhile. */
async function openSink(deps: EventStreamDeps, userId: string, signal: AbortSignal) {
  await deps.feed.ready;
  let sink: Sink | null = null;
  const live = new BufferedSubscription<StreamItem>(
    (listener) => {
      const registered = deps.dispatcher.register(userId, listener);
      sink = registered;
      return () => deps.dispatcher.unregister(registered);
    },
    LIVE_BUFFER,
    signal,
  );
  try {
    for (let attempt = 0; ; attempt++) {
      const { roomIds, eventId } = await repositoriesFor(deps.orm.em.fork()).events.membershipAt(userId);
      if (deps.dispatcher.activate(sink!, roomIds, BigInt(eventId))) return { live, sink: sink!, at: BigInt(eventId) };
      if (attempt === 2) throw new DomainError('SERVICE_UNAVAILABLE', 'The server is too busy to start your stream; try again', 2);
    }
  } catch (error) {
    live.close();
    throw error;
  }
}

/**
 * chat.onEvent: everything `userId` may see, authorised per event at that event's time. From
 * `lastEventId`: the stored events after it that they may see (or `resync` when too far behind),
 * then live ones, in id order with no gap and no duplicate; ephemeral items carry the cursor of
 * the last durable one. Without `lastEventId`: live from now. See docs/decisions/070 and 071.
 */
export async function* userEventStream(
  deps: EventStreamDeps,
  opts: { userId: string; lastEventId: string | null; signal: AbortSignal },
): AsyncGenerator<StreamItemOut> {
  const { live, sink, at } = await openSink(deps, opts.userId, opts.signal);
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
        const view = viewFor(event, opts.userId);
        if (view) yield { id: cursor(), data: view };
      }
    };

    if (opts.lastEventId !== null) yield* catchUp();
    await deps.presence.ready;
    yield { id: cursor(), data: { type: 'presence.snapshot', users: await deps.dispatcher.presenceSnapshot(sink) } };
    // A start is announced once (renewals are silent), so a stream that (re)starts while someone
    // types would never learn it: it begins with who types now in the user's rooms. The sink is
    // live already, so a stop after this read follows as an event.
    for (const { user, roomId } of deps.typing.typingIn(sink.rooms)) {
      if (user.id !== opts.userId) yield { id: cursor(), data: { type: 'typing', roomId, user, typing: true } };
    }
    while (!opts.signal.aborted) {
      const item = await live.next();
      if (item === null) {
        if (!live.overflowed) return;
        // The buffer dropped items; the durable ones are all stored, so read them back.
        live.clearOverflow();
        yield* catchUp();
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
      const view = viewFor(event, opts.userId);
      if (view) yield { id: cursor(), data: view };
    }
  } finally {
    live.close();
  }
}

/**
 * chat.onMessage with a roomId that is not #everyone: the room's messages after `lastEventId` (a
 * message id), then live ones; ends when the caller leaves or is removed.
 */
export async function* roomMessageStream(
  deps: EventStreamDeps,
  opts: { userId: string; roomId: string; lastEventId: string | null; signal: AbortSignal },
): AsyncGenerator<RoomMessage> {
  const { live, sink } = await openSink(deps, opts.userId, opts.signal);
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
    live.close();
  }
}
