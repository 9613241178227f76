import { createSerialExecutor } from '../bus/serial-executor';
import type { EventFeed, EventFeedOptions } from './feed-contract';
import type { StoredEvent } from './stored-event';

/**
 * What both event feeds share (event-feed.ts hears everything, scoped-event-feed.ts only the
 * followed topics): delivery to listeners in one turn, the database reads retried with backoff
 * while they fail, and the wiring to the bus (catch-up when it recovers, a poll while it is down,
 * an idle check when nothing was read for a while). Each feed decides what a read is.
 */
export interface FeedCore {
  /** The id of the last event delivered (null until the first read knows where the stream stands). */
  state: { last: string | null };
  /** Bus events ahead of `last`, waiting for what comes before them. */
  held: Map<string, StoredEvent>;
  serial: ReturnType<typeof createSerialExecutor>;
  /** Hands the event to every listener and moves `last` to it. */
  deliver(event: StoredEvent): void;
  /** Runs a read; a failure schedules one retry of `readToNow` (and tells onError of a streak's first). Call inside `serial` only. */
  tryRead(read: () => Promise<void>): Promise<void>;
  /** `tryRead` in turn. */
  attempt(read: () => Promise<void>): Promise<void>;
  /** Whether a retry is scheduled: the database is failing, and that retry will read whatever a read now would. */
  retrying(): boolean;
  /** Something was read or heard since the last idle check: the next one is skipped. */
  markActive(): void;
  /**
   * Subscribes to the bus (its events go to `ingest`) and starts the timers; `idleRead` runs when
   * nothing was marked active for `idleCheckMs` and nothing is held. `close` stops it all.
   */
  start(ingest: (event: StoredEvent) => Promise<void>, idleRead: () => Promise<void>): Pick<EventFeed, 'ready' | 'position' | 'subscribe' | 'catchUp' | 'close'>;
}

/** `readToNow` reads everything committed after `last` (or, with `last` null, finds where the stream stands). */
export function createFeedCore(opts: EventFeedOptions, readToNow: () => Promise<void>): FeedCore {
  const listeners = new Set<(event: StoredEvent) => void>();
  const serial = createSerialExecutor();
  const retryMs = opts.retryMs ?? { min: 250, max: 5_000 };
  const state: FeedCore['state'] = { last: null };
  const held = new Map<string, StoredEvent>();
  let failures = 0;
  let retry: ReturnType<typeof setTimeout> | null = null;
  let closed = false;
  let active = false;

  const deliver = (event: StoredEvent) => {
    // Every listener gets this one object; frozen, the WebSocket encoder may serialise it once.
    if (event.message) Object.freeze(event.message.author);
    if (event.message) Object.freeze(event.message);
    Object.freeze(event);
    state.last = event.id;
    held.delete(event.id);
    for (const listener of listeners) listener(event);
  };

  /**
   * A failed read schedules one retry (250 ms doubling to 5 s, jittered); until it runs, other
   * reads wait for it rather than hit a database that is down.
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
        void attempt(readToNow);
      }, delay);
      retry.unref();
    }
  };
  const attempt = (read: () => Promise<void>) => serial(() => tryRead(read));

  const start: FeedCore['start'] = (ingest, idleRead) => {
    const catchUp = () => attempt(readToNow);
    const unsubscribe = opts.bus.subscribe((event) => {
      if (event.type === 'event') ingest(event.event).catch((error: unknown) => opts.onError?.(error));
    });
    const stopRecovered = opts.bus.onRecovered(() => void catchUp());
    // While the bus is down, other instances' events only reach us through the database.
    const poll = setInterval(() => {
      if (!opts.bus.healthy() && retry === null) void catchUp();
    }, opts.pollWhileUnhealthyMs ?? 1_000);
    poll.unref();
    // An event can be stored with nothing ever published for it; only the database knows it then.
    const idleCheck = setInterval(() => {
      if (!active && retry === null && held.size === 0 && opts.bus.healthy()) void attempt(idleRead);
      active = false;
    }, opts.idleCheckMs ?? 2_000);
    idleCheck.unref();
    return {
      // Fails when the database cannot be read at start: the server should not serve then.
      ready: serial(readToNow),
      position: () => state.last,
      subscribe(listener) {
        listeners.add(listener);
        return () => void listeners.delete(listener);
      },
      catchUp,
      close() {
        closed = true;
        clearInterval(poll);
        clearInterval(idleCheck);
        if (retry !== null) clearTimeout(retry);
        unsubscribe();
        stopRecovered();
      },
    };
  };

  return { state, held, serial, deliver, tryRead, attempt, retrying: () => retry !== null, markActive: () => void (active = true), start };
}
