import type { ChatEvent } from '../room-shapes';
import type { ChatMessage } from '../shapes';

/*
 * The push lane's contract (docs/decisions/003, 120, 122, 126). tRPC's adapter steps an async
 * iterator per subscriber per item; for a broadcast to thousands that chain is most of the cost.
 * A chat.onMessage (#everyone) or chat.onEvent subscription that has replayed its backlog can
 * instead claim a writer from its connection's lane that sends each live item as the very frame
 * the adapter would have sent. The api asks by connection id (the context's requestId); the
 * transport, which alone knows tRPC's wire format, attaches one lane per connection.
 */

/**
 * A writer whose transport can also hold the rest of the subscription (docs/decisions/122): once the
 * stream has handed over, `keep(stop)` makes the transport answer the subscription's stop and the
 * socket's close with `stop`, so tRPC's adapter can end its part instead of holding a pending
 * iterator, its promises and an AbortSignal per idle subscriber. False (or absent): it cannot.
 */
export interface Keeper {
  keep?(stop: () => void): boolean;
}

/**
 * A writer is an object, not a function (docs/decisions/174): a broadcast to thousands calls one
 * per stream, and a method reads its object where a closure reads its function and its context.
 */
export interface MessageWriter extends Keeper {
  /** Writes one live #everyone message as the adapter writes `tracked(id, message)`; false once the socket is gone. */
  write(message: ChatMessage): boolean;
}

/** One chat.onEvent item: the event and the stream's cursor after it. */
export interface TrackedEvent {
  id: string;
  data: ChatEvent;
}

export interface EventWriter extends Keeper {
  /**
   * Writes one chat.onEvent item as the adapter writes `tracked(item.id, item.data)`; false once the
   * socket is gone. Frozen events are shared by every stream they go to, so their frames can be built once.
   */
  write(item: TrackedEvent): boolean;
}

/** What the transport hands back for one connection: writers for the subscriptions it saw opened. */
export interface ConnectionLane {
  /** A writer for the #everyone chat.onMessage subscription opened with this lastEventId, or null (use the iterator). */
  claim(lastEventId: string | null): MessageWriter | null;
  /** The same for the chat.onEvent subscription opened with this lastEventId (docs/decisions/120). */
  claimEvents(lastEventId: string | null): EventWriter | null;
}

/**
 * What the api hands the transport, in `deps.pushLane` from the start: resolvers claim through it
 * by connection id, the transport attaches each connection's lane while its socket is open. With
 * no lane attached (HTTP, in-process callers) every claim is null and streams stay on the iterator.
 */
export interface PushLanePort {
  claim(connectionId: string, lastEventId: string | null): MessageWriter | null;
  claimEvents(connectionId: string, lastEventId: string | null): EventWriter | null;
  /** Attaches a connection's lane while its socket is open. */
  attach(connectionId: string, lane: ConnectionLane): void;
  /** Its socket closed (no closure per connection to hold: a socket may live for hours). */
  detach(connectionId: string, lane: ConnectionLane): void;
}

/** The port `createApiDeps` builds: connection id → its lane. */
export function createPushLanePort(): PushLanePort {
  const lanes = new Map<string, ConnectionLane>();
  return {
    claim: (connectionId, lastEventId) => lanes.get(connectionId)?.claim(lastEventId) ?? null,
    claimEvents: (connectionId, lastEventId) => lanes.get(connectionId)?.claimEvents(lastEventId) ?? null,
    attach: (connectionId, lane) => void lanes.set(connectionId, lane),
    detach(connectionId, lane) {
      if (lanes.get(connectionId) === lane) lanes.delete(connectionId);
    },
  };
}
