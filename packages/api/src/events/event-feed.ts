import { type Orm, repositoriesFor } from '@chat/db';
import type { EventBus } from '../bus/event-bus';
import type { Topic } from '../bus/topics';
import { createSerialExecutor } from '../bus/serial-executor';
import { idAfter, nextId } from '../schemas/ids';
import { eventsAfter } from './events-after';
import type { StoredEvent } from './stored-event';

export interface EventFeed {
  /** Called in id order, each committed event exactly once. */
  subscribe(listener: (event: StoredEvent) => void): () => void;
  /** The id of the last event delivered to listeners (null before `ready`). */
  position(): string | null;
  /** Reads whatever was committed after the last delivered id (after a bus outage); retries by itself if that fails. */
  catchUp(): Promise<void>;
  /** Settles once the feed knows where the stream stands; serve subscribers after it. */
  ready: Promise<void>;
  /** True when the feed hears only the topics followed (a scoped bus, docs/decisions/158): a reader's must be followed before its sink collects. */
  scoped: boolean;
  /** This instance's readers want these topics' events; resolves once the feed hears them (at once when it hears everything). */
  follow(topics: Topic[]): Promise<void>;
  /** One `follow` of these ended: a topic nobody wants is dropped after a short linger. */
  unfollow(topics: Topic[]): void;
  /** For tests: the topics the feed hears now (empty when it hears everything). */
  followed(): Topic[];
  close(): void;
}

export interface EventFeedOptions {
  orm: Orm;
  bus: EventBus;
  /** While the bus is down, how often to read other instances' events from the database. */
  pollWhileUnhealthyMs?: number;
  /** With no bus event for this long, a `max(id)` query checks that no event was lost. */
  idleCheckMs?: number;
  /**
   * How long an event that arrived ahead of its predecessor waits for it on the bus before the gap
   * is read from the database. Appends commit in id order, but their answers (and other instances'
   * publishes) reach here in any order: a read per overtaking was most of the feed's database work.
   */
  reorderWaitMs?: number;
  /** Told of each read of a gap from the database (metrics). */
  onGapRead?: () => void;
  /** After a failed read: the first retry's delay, doubling up to `max`. */
  retryMs?: { min: number; max: number };
  /** Told of the first failed read of a streak (not of each retry). */
  onError?: (error: unknown) => void;
}

/**
 * This instance's ordered view of the event log: the first stage of the pipeline
 * append → bus → feed → dispatcher → sockets. Bus events can arrive out of order or not at all
 * (another instance's event overtaken, Redis down, an append whose answer was lost so nobody
 * published it); since appends commit in id order, an event whose id is not the next one is a cue
 * to read the gap from the database, and so is a database `max(id)` above the last delivered id
 * when the bus has been quiet. A read that fails (the database is down) is retried with backoff
 * until it succeeds. So local listeners see every committed event, in id order, once.
 */
/** Events held while their predecessor is awaited; beyond this the gap is read at once. */
const HELD_MAX = 1_000;

export function createEventFeed(opts: EventFeedOptions): EventFeed {
  const listeners = new Set<(event: StoredEvent) => void>();
  const serial = createSerialExecutor();
  const retryMs = opts.retryMs ?? { min: 250, max: 5_000 };
  let last: string | null = null;
  let failures = 0;
  let retry: ReturnType<typeof setTimeout> | null = null;
  let heardSinceCheck = false;
  let closed = false;
  /** Events that came ahead of their predecessor, by id, while it is awaited (at most HELD_MAX). */
  const held = new Map<string, StoredEvent>();
  let heldTimer: ReturnType<typeof setTimeout> | null = null;
  const reorderWaitMs = opts.reorderWaitMs ?? 30;

  const deliver = (event: StoredEvent) => {
    // Every listener gets this one object; frozen, the WebSocket encoder may serialise it once.
    if (event.message) Object.freeze(event.message.author);
    if (event.message) Object.freeze(event.message);
    Object.freeze(event);
    last = event.id;
    held.delete(event.id);
    for (const listener of listeners) listener(event);
  };

  /** Delivers held events that now follow on; forgets those already delivered (a gap read brought them). */
  const releaseHeld = () => {
    if (held.size === 0 || last === null) return;
    for (let next = held.get(nextId(last)); next; next = held.get(nextId(last))) deliver(next);
    for (const id of held.keys()) if (!idAfter(id, last)) held.delete(id);
    if (held.size === 0 && heldTimer !== null) {
      clearTimeout(heldTimer);
      heldTimer = null;
    }
  };

  const readGap = async () => {
    if (last === null) {
      last = (await repositoriesFor(opts.orm.em.fork()).events.maxId()) ?? '0';
      return;
    }
    opts.onGapRead?.();
    for await (const event of eventsAfter(opts.orm, last)) deliver(event);
    releaseHeld();
  };

  /** An index-only query: cheap enough to run whenever the bus has been quiet for a while. */
  const checkMax = async () => {
    const max = await repositoriesFor(opts.orm.em.fork()).events.maxId();
    if (last === null || (max !== null && idAfter(max, last))) await readGap();
  };

  /**
   * A failed read schedules one retry (250 ms doubling to 5 s, jittered); until it runs, other
   * reads wait for it rather than hit a database that is down. Call inside `serial` only.
   */
  const tryRead = async (read: () => Promise<void>) => {
    try {
      await read();
      failures = 0;
    } catch (error) {
      if (failures++ === 0) opts.onError?.(error);
      if (retry !== null || closed) return;
      const delay = Math.min(retryMs.max, retryMs.min * 2 ** (failures - 1)) * (0.75 + Math.random() * 0.5);
      retry = setTimeout(() => {
        retry = null;
        void attempt(readGap);
      }, delay);
      retry.unref();
    }
  };
  const attempt = (read: () => Promise<void>) => serial(() => tryRead(read));

  const ingest = (event: StoredEvent) =>
    serial(async () => {
      if (last !== null && !idAfter(event.id, last)) return;
      if (last !== null && event.id === nextId(last)) {
        deliver(event);
        return releaseHeld();
      }
      // A gap: the database has everything up to this id, since appends commit in id order.
      // While a retry is pending the database is failing: that retry will read this gap too.
      if (retry !== null) return;
      // Usually the predecessor is a moment behind on the bus: wait for it a little first.
      if (last !== null && reorderWaitMs > 0 && held.size < HELD_MAX) {
        held.set(event.id, event);
        heldTimer ??= setTimeout(() => {
          heldTimer = null;
          // Still missing (an append rolled back, a publish lost): the database decides.
          if (held.size > 0) void attempt(readGap);
        }, reorderWaitMs);
        return;
      }
      await tryRead(readGap);
    });

  const catchUp = () => attempt(readGap);
  const unsubscribe = opts.bus.subscribe((event) => {
    if (event.type !== 'event') return;
    heardSinceCheck = true;
    ingest(event.event).catch((error: unknown) => opts.onError?.(error));
  });
  const stopRecovered = opts.bus.onRecovered(() => void catchUp());
  // While the bus is down, other instances' events only reach us through the database.
  const poll = setInterval(() => {
    if (!opts.bus.healthy() && retry === null) void catchUp();
  }, opts.pollWhileUnhealthyMs ?? 1_000);
  poll.unref();
  // An event can be stored with nothing ever published for it; only the database knows it then.
  const idleCheck = setInterval(() => {
    if (!heardSinceCheck && retry === null && opts.bus.healthy()) void attempt(checkMax);
    heardSinceCheck = false;
  }, opts.idleCheckMs ?? 2_000);
  idleCheck.unref();
  // Fails when the database cannot be read at start: the server should not serve then.
  const ready = serial(readGap);

  return {
    ready,
    scoped: false,
    follow: () => Promise.resolve(),
    unfollow: () => {},
    followed: () => [],
    position: () => last,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    catchUp,
    close() {
      closed = true;
      if (heldTimer !== null) clearTimeout(heldTimer);
      clearInterval(poll);
      clearInterval(idleCheck);
      if (retry !== null) clearTimeout(retry);
      unsubscribe();
      stopRecovered();
    },
  };
}
