import { type Orm, repositoriesFor } from '@chat/db';
import { BufferedSubscription } from '../bus/buffered-subscription';
import { roomTopic, type Topic, userTopic } from '../bus/topics';
import { DomainError } from '../errors';
import type { Presence } from '../presence/presence';
import type { TypingTracker } from '../presence/typing';
import { type Dispatcher, type PresenceReach, Sink, type StreamItem } from './dispatcher';
import type { EventFeed } from './event-feed';
import type { StoredEvent } from './stored-event';

/*
 * The one pipeline's last step (docs/decisions/132): every subscription (chat.onEvent, chat.onMessage
 * for #everyone or a room, chat.onTyping, chat.onPresence) is one reader's stream from the
 * dispatcher, which alone decides what that reader may receive, seen through a view that picks
 * and shapes its items. This file holds what they share: the sink, the catch-up after an overflow,
 * and the hand-over to the push lane.
 */

/** Live items a slow stream may have pending before it falls back to reading the database. */
const LIVE_BUFFER = 1000;

export interface ReaderStreamDeps {
  orm: Orm;
  feed: EventFeed;
  dispatcher: Dispatcher;
  presence: Presence;
  typing: TypingTracker;
  /** More events than this behind the newest, a chat.onEvent resume gets `resync` instead of a replay. */
  replayLimit: number;
}

/** What a view's `start` or `take` returns to end the stream (a room's stream when its reader leaves it). */
export const END: unique symbol = Symbol('end');

/** Where a handed-over view's items go (the push lane's writer, docs/decisions/120): false once its socket is gone. */
export interface PushWriter<Out> {
  write(out: Out): boolean;
}

const ignore = () => {};

/**
 * One subscription's view of its reader's stream, and its sink in the dispatcher (decision 174): a
 * class instance, not closures, since it lives as long as the subscription, and one object, so a
 * broadcast to thousands reads one object per stream before the writer. Once handed over to a push
 * writer (decision 172), the dispatcher's items go through it straight to the writer.
 */
export abstract class ReaderView<Out> extends Sink {
  /** The push writer once handed over; null before, and again once stopped. */
  private writer: PushWriter<Out> | null = null;
  /** Before the hand-over: the live buffer's listener, while the stream is read through the iterator. */
  private buffer: (item: StreamItem) => void = ignore;

  constructor(
    protected readonly deps: ReaderStreamDeps,
    userId: string,
    presenceReach?: PresenceReach,
  ) {
    super(userId, presenceReach);
  }

  /**
   * The membership is read: `at` is its event id, `earlier` the events that passed between the
   * subscription and `at` (the membership reflects them; a view may send them). Before `start`.
   */
  begin(_at: string, _earlier: readonly StoredEvent[]): void {}

  /** Whether this view uses `item`, judged in the dispatcher's turn: the others are never buffered or woken for. */
  abstract wants(item: StreamItem): boolean;
  /**
   * What goes out before live items: a replay, a snapshot. Run again after the live buffer
   * overflowed (`again`), since what it dropped must be read back. END ends the stream.
   */
  abstract start(again: boolean): AsyncGenerator<Out, typeof END | void>;
  /**
   * One live item, in feed order: what to send, null for nothing, END to end the stream. `member`:
   * the reader is in the item's room as this runs (a handed-over view's take in the dispatcher's
   * room loop), so the view need not look.
   */
  abstract take(item: StreamItem, member?: boolean): Out | null | typeof END;

  /** The dispatcher's item: to the writer once handed over, else to the live buffer. */
  receive(item: StreamItem) {
    if (!this.wants(item)) return;
    if (this.writer !== null) this.deliver(item, item.member === true);
    else this.buffer(item);
  }

  /** The live buffer's subscription (BufferedSubscription): its listener until the hand-over or the end. */
  listen(listener: (item: StreamItem) => void): () => void {
    this.buffer = listener;
    return () => {
      if (this.buffer === listener) this.buffer = ignore;
    };
  }

  /**
   * Hands the stream to `writer` in one synchronous step: drains what was buffered, then the
   * dispatcher's items go straight through this view to it. Returns the stop, which unregisters the
   * view. Holds neither the buffer once done, nor the subscription's signal, which a transport that
   * keeps the subscription (decision 122) no longer needs; whoever ends the subscription calls the
   * stop in the same turn (HandOffStream's abort listener, or the transport).
   */
  handOver(live: BufferedSubscription<StreamItem>, writer: PushWriter<Out>): () => void {
    this.writer = writer;
    // Buffered items passed the view's `wants` on their way in.
    for (let item = live.take(); item; item = live.take()) this.deliver(item);
    live.close();
    return this.stop.bind(this);
  }

  /** An item the view wants, through it to the writer; the stream stops when either says so. */
  private deliver(item: StreamItem, member = false) {
    const writer = this.writer;
    if (writer === null) return;
    const out = this.take(item, member);
    if (out === END) this.stop();
    else if (out !== null && !writer.write(out)) this.stop();
  }

  private stop() {
    if (this.writer === null) return;
    this.writer = null;
    this.deps.dispatcher.unregister(this);
  }
}

/** Registers the view with the dispatcher and learns the membership it starts from; live items buffer meanwhile. */
async function openSink(deps: ReaderStreamDeps, view: ReaderView<unknown>, signal: AbortSignal, rooms: 'read' | 'none') {
  await deps.feed.ready;
  const { userId } = view;
  deps.dispatcher.register(view);
  const live = new BufferedSubscription<StreamItem>((listener) => view.listen(listener), LIVE_BUFFER, signal);
  // A scoped feed hears only followed topics (docs/decisions/158): the reader's are held from before
  // the membership read that activates the sink, so nothing of theirs after it passes unheard.
  let following = new Set<Topic>();
  const follow = async (roomIds: string[]) => {
    const topics = [userTopic(userId), ...roomIds.map(roomTopic)];
    await deps.feed.follow(topics);
    deps.feed.unfollow([...following]);
    following = new Set(topics);
  };
  const unfollow = () => {
    deps.feed.unfollow([...following]);
    following = new Set();
  };
  const close = () => {
    live.close();
    deps.dispatcher.unregister(view);
    unfollow();
  };
  try {
    if (rooms === 'none') {
      // Registered and activated in one turn: the feed has handed on nothing in between.
      const at = deps.feed.position() ?? '0';
      deps.dispatcher.activate(view, [], at);
      view.begin(at, []);
      return { live, close };
    }
    for (let attempt = 0, rounds = 0; ; attempt++) {
      const { roomIds, eventId } = await repositoriesFor(deps.orm.em.fork()).events.membershipAt(userId);
      if (deps.feed.scoped && (following.size === 0 || !roomIds.every((id) => following.has(roomTopic(id))))) {
        // A room not followed yet may have had events pass unheard up to here: follow, then read the membership again (it reflects them).
        if (rounds++ === 3) throw new DomainError('SERVICE_UNAVAILABLE', 'The server is too busy to start your stream; try again', 2);
        await follow(roomIds);
        attempt--;
        continue;
      }
      const earlier: StoredEvent[] = [];
      if (deps.dispatcher.activate(view, roomIds, eventId, (event) => earlier.push(event))) {
        // The dispatcher follows the stream's rooms and user from here.
        unfollow();
        view.begin(eventId, earlier);
        return { live, close };
      }
      if (attempt === 2) throw new DomainError('SERVICE_UNAVAILABLE', 'The server is too busy to start your stream; try again', 2);
    }
  } catch (error) {
    close();
    throw error;
  }
}

export interface ReaderStreamOptions<Out> {
  signal: AbortSignal;
  /** `none`: the view needs no room's events (chat.onPresence), so the membership is not read. Default `read`. */
  rooms?: 'read' | 'none';
  /**
   * The push lane's writer (docs/decisions/120): once `start` is out, live items go through it, not
   * the iterator, and the generator returns the writer's stop. False from the writer: the socket is gone.
   */
  push?: PushWriter<Out> | null;
}

/**
 * A reader's stream through one view: `start`, then live items in feed order, with no gap and no
 * duplicate (the view is registered before `start` reads, and drops what `start` already sent).
 * A view serves one stream.
 */
export async function* readerStream<Out>(deps: ReaderStreamDeps, opts: ReaderStreamOptions<Out>, view: ReaderView<Out>): AsyncGenerator<Out, (() => void) | void> {
  const { live, close } = await openSink(deps, view, opts.signal, opts.rooms ?? 'read');
  let handedOver = false;
  try {
    if ((yield* view.start(false)) === END) return;
    // Resuming here means the consumer took the last item: it is on the wire, so live items may
    // now be written directly without overtaking it. After an overflow, the iterator catches up.
    if (opts.push && !live.overflowed && !opts.signal.aborted) {
      const stop = view.handOver(live, opts.push);
      handedOver = true;
      return stop;
    }
    while (!opts.signal.aborted) {
      const item = await live.next();
      if (item === null) {
        if (!live.overflowed) return;
        // The buffer dropped items: durable ones are stored, so `start` reads them back; snapshots replace ephemeral ones.
        live.clearOverflow();
        if ((yield* view.start(true)) === END) return;
        continue;
      }
      const out = view.take(item);
      if (out === END) return;
      if (out !== null) yield out;
    }
  } finally {
    if (!handedOver) close();
  }
}
