import type { ChatEvent } from '../room-shapes';
import type { ChatMessage } from '../shapes';

// The push lane's contract: what the api hands the transport's fast path (docs/decisions/120, 122).
// It lives in the events layer, below the services that claim writers, not in the per-call Context.

/**
 * The transport's fast path for live #everyone messages, owned by the server (apps/server/src/transport/push-lane.ts).
 * tRPC's adapter steps an async iterator per subscriber per item; for a broadcast to thousands that
 * chain is most of the cost. A chat.onMessage subscription that has replayed its backlog can instead
 * claim a writer that sends each live message as the very frame the adapter would have sent.
 */
export interface MessageFastPath {
  /** A writer for the #everyone chat.onMessage subscription this connection opened with this lastEventId, or null (use the iterator). */
  claim(connectionId: string, lastEventId: string | null): MessageWriter | null;
  /** The same for the chat.onEvent subscription this connection opened with this lastEventId (docs/decisions/120). */
  claimEvents?(connectionId: string, lastEventId: string | null): EventWriter | null;
}

/**
 * A writer whose transport can also hold the rest of the subscription (docs/decisions/122): once the
 * stream has handed over, `keep(stop)` makes the transport answer the subscription's stop and the
 * socket's close with `stop`, so tRPC's adapter can end its part instead of holding a pending
 * iterator, its promises and an AbortSignal per idle subscriber. False (or absent): it cannot.
 */
export interface Keeper {
  keep?(stop: () => void): boolean;
}

/** Writes one live #everyone message as the adapter writes `tracked(id, message)`; false once the socket is gone. */
export type MessageWriter = ((message: ChatMessage) => boolean) & Keeper;

/**
 * Writes one chat.onEvent item as the adapter writes `tracked(cursor, event)`; false once the socket
 * is gone. Frozen events are shared by every stream they go to, so their frames can be built once.
 */
export type EventWriter = ((cursor: string, event: ChatEvent) => boolean) & Keeper;
