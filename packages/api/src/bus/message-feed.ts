import { type Orm, repositoriesFor } from '@chat/db';
import type { ChatMessage } from '../shapes';
import type { EventBus } from './event-bus';
import { messagesAfter } from './messages-after';
import { createSerialExecutor } from './serial-executor';

export interface MessageFeed {
  /** Called in id order, each committed message exactly once. */
  subscribe(listener: (message: ChatMessage) => void): () => void;
  /** Reads whatever was committed after the last delivered id (after a bus outage). */
  catchUp(): Promise<void>;
  /** Settles once the feed knows where the stream stands; serve subscribers after it. */
  ready: Promise<void>;
  /** Metrics: told of each hand-off to a subscriber and of each change in their number. */
  observe(observer: FeedObserver): void;
  close(): void;
}

export interface FeedObserver {
  /** Once per message, after it went to all `subscribers` (one call, not one per subscriber: it is on the hot path). */
  delivered(message: ChatMessage, subscribers: number): void;
  subscribers(count: number): void;
}

/**
 * This instance's ordered view of the message stream. Bus events can arrive out of order or
 * not at all (another instance's event overtaken, Redis down); since appends commit in id order,
 * an event whose id is not the next one is a cue to read the gap from the database. So local
 * subscribers see every committed message, in id order, once.
 */
export function createMessageFeed(opts: { orm: Orm; bus: EventBus; pollWhileUnhealthyMs?: number; onError?: (error: unknown) => void }): MessageFeed {
  const listeners = new Set<(message: ChatMessage) => void>();
  const serial = createSerialExecutor();
  let last: bigint | null = null;
  // Observed here rather than by wrapping each listener: a subscriber costs one closure, not three.
  let observer: FeedObserver | null = null;

  const deliver = (message: ChatMessage) => {
    // Every subscriber gets this one object; frozen, the WebSocket encoder may serialise it once.
    Object.freeze(message.author);
    Object.freeze(message);
    last = BigInt(message.id);
    for (const listener of listeners) listener(message);
    if (listeners.size > 0) observer?.delivered(message, listeners.size);
  };

  const readGap = async () => {
    if (last === null) {
      last = BigInt((await repositoriesFor(opts.orm.em.fork()).messages.maxId()) ?? '0');
      return;
    }
    for await (const message of messagesAfter(opts.orm, last)) deliver(message);
  };

  const ingest = (message: ChatMessage) =>
    serial(async () => {
      const id = BigInt(message.id);
      if (last !== null && id <= last) return;
      if (last !== null && id === last + 1n) return deliver(message);
      // A gap: the database has everything up to this id, since appends commit in id order.
      await readGap();
    }).catch((error: unknown) => opts.onError?.(error));

  const catchUp = () => serial(readGap);
  const unsubscribe = opts.bus.subscribe((event) => {
    if (event.type === 'message') void ingest(event.message);
  });
  const stopRecovered = opts.bus.onRecovered(() => void catchUp().catch((error: unknown) => opts.onError?.(error)));
  // While the bus is down, other instances' messages only reach us through the database.
  const poll = setInterval(() => {
    if (!opts.bus.healthy()) void catchUp().catch((error: unknown) => opts.onError?.(error));
  }, opts.pollWhileUnhealthyMs ?? 1_000);
  poll.unref();
  const ready = catchUp();

  return {
    ready,
    subscribe(listener) {
      listeners.add(listener);
      observer?.subscribers(listeners.size);
      return () => {
        if (listeners.delete(listener)) observer?.subscribers(listeners.size);
      };
    },
    observe(next) {
      observer = next;
    },
    catchUp,
    close() {
      clearInterval(poll);
      unsubscribe();
      stopRecovered();
    },
  };
}
