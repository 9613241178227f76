import { EVERYONE_ROOM_ID } from '@chat/db';
import type { EventFeed } from '../events/event-feed';
import type { ChatMessage } from '../shapes';

export interface MessageFeed {
  /** Called in id order, each committed #everyone message exactly once. */
  subscribe(listener: (message: ChatMessage) => void): () => void;
  /** Reads whatever was committed after the last delivered event (after a bus outage). */
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
 * The #everyone messages of the event feed, as chat.onMessage has always sent them (no roomId):
 * ordered, gap-free and exactly once because the event feed is, and message ids grow with event
 * ids since both are taken under the same lock.
 */
export function createMessageFeed(events: EventFeed): MessageFeed {
  const listeners = new Set<(message: ChatMessage) => void>();
  // Observed here rather than by wrapping each listener: a subscriber costs one closure, not three.
  let observer: FeedObserver | null = null;
  const unsubscribe = events.subscribe((event) => {
    if (event.type !== 'message.created' || event.roomId !== EVERYONE_ROOM_ID || !event.message || listeners.size === 0) return;
    const { roomId: _room, ...fields } = event.message;
    // Every subscriber gets this one frozen object: the WebSocket encoder serialises it once.
    const message: ChatMessage = Object.freeze({ ...fields, author: event.message.author });
    for (const listener of listeners) listener(message);
    observer?.delivered(message, listeners.size);
  });
  return {
    ready: events.ready,
    catchUp: () => events.catchUp(),
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
    close: unsubscribe,
  };
}
