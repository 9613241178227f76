import type { AppRouter } from '@chat/api';
import type { TRPCClient } from '@trpc/client';
import type { inferRouterOutputs } from '@trpc/server';
import { resumable } from './core';

type Yielded<T> = T extends AsyncIterable<infer Item> ? Item : never;
type Untracked<T> = T extends { id: string; data: infer Data } ? Data : T;
/** One item of `chat.onEvent`, as the router types it: a discriminated union on `type`. */
export type ChatStreamEvent = Untracked<Yielded<inferRouterOutputs<AppRouter>['chat']['onEvent']>>;

export interface OnEventOptions {
  /**
   * Deliver events after this id (`subscription.lastEventId` saved before a restart, or the cursor
   * of a snapshot you took with `client.chat.eventCursor.query()`). By default the stream starts
   * at the server's newest event when `onEvent` is called: no replay.
   */
  after?: string;
  /** Threads' events (thread.message, thread.updated, thread.read); on by default, `false` for a stream without them. */
  threads?: boolean;
  /** Gets errors thrown by the handler and a failed subscription; by default they are logged. */
  onError?: (error: unknown) => void;
}

export interface EventSubscription {
  /** Resolves once the server has started the stream: every event after it is delivered. */
  ready: Promise<void>;
  /** The id of the last durable event handed to the handler: where a restart resumes (`after`). */
  readonly lastEventId: string | null;
  /** Stops the stream; resolves once the handler has finished the events it already got. */
  unsubscribe(): Promise<void>;
}

export type EventHandler = (event: ChatStreamEvent) => void | Promise<void>;

const logError = (error: unknown) => console.error('[@chat/client] onEvent:', error);

/**
 * Everything the caller may see, in every room it is in, as one stream: `message.created`, `message.preview`,
 * `message.edited`, `message.deleted`, `reaction.changed`, the caller's own `mentions.updated` and
 * `read.updated`, threads' `thread.message` (a reply only in its thread, and its edits, deletes and reactions),
 * `thread.updated` (a root's counters) and the caller's own `thread.read`, `room.joined`/`room.left` (the caller's own included), `room.updated`, `message.pinned`/`message.unpinned` (fold them with `fromPins`/`applyPinEvent`), typing,
 * presence, and `role.changed` when an owner changes the caller's role (not replayed after a restart). Durable events come in id order with no gap and no duplicate across reconnects and
 * server restarts (resumed by `lastEventId`), and a stream refused with SERVICE_UNAVAILABLE is
 * opened again after a pause. A `resync` event means the server could not replay that far back:
 * the stream goes on from the event's id, and a client that keeps state refetches it (room.list).
 */
export function subscribeToEvents(trpc: TRPCClient<AppRouter>, handler: EventHandler, opts: OnEventOptions = {}): EventSubscription {
  const stream = resumable<ChatStreamEvent>(
    {
      now: () => trpc.chat.eventCursor.query().then(({ cursor }) => cursor),
      open: (lastEventId, handlers) => {
        const subscription = trpc.chat.onEvent.subscribe(
          { lastEventId, threads: opts.threads ?? true },
          { ...handlers, onData: (item) => handlers.onData(untracked(item) as ChatStreamEvent) },
        );
        return () => subscription.unsubscribe();
      },
      idOf: (event) => ('eventId' in event && typeof event.eventId === 'string' ? event.eventId : null),
    },
    handler,
    opts.after,
    opts.onError ?? logError,
  );
  return {
    ready: stream.ready,
    get lastEventId() {
      return stream.lastId;
    },
    unsubscribe: () => stream.stop(),
  };
}

/** Durable events arrive as `tracked(id, event)` (`{ id, data }`); ephemeral ones as they are. */
const untracked = (item: unknown): unknown =>
  item && typeof item === 'object' && 'id' in item && 'data' in item && !('type' in item) ? item.data : item;
