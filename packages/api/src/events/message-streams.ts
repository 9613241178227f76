import { repositoriesFor } from '@chat/db';
import type { RoomMessage } from '../room-shapes';
import { EVERYONE_ROOM_ID, idAfter } from '../schemas/ids';
import { type ChatMessage, toChatMessage } from '../shapes';
import type { StreamItem } from './dispatcher';
import type { MessageWriter } from './push-lane-contract';
import { END, readerStream, type ReaderStreamDeps, ReaderView } from './reader-stream';
import { messageReadableBy, type StoredEvent } from './stored-event';

const PAGE = 200;
/** One empty list for every view that has sent (or never had) its earlier events: a view lives as long as its subscription. */
const NONE: readonly StoredEvent[] = Object.freeze([]);

/**
 * #everyone's messages as chat.onMessage has always sent them (no roomId): one frozen object per
 * message, shared by every stream, so the push lane builds its frame once (decision 120).
 */
const everyoneShape = new WeakMap<RoomMessage, ChatMessage>();
/** The newest one, checked first: a broadcast reaches its streams in one turn, so most take no WeakMap lookup. */
let latest: { source: RoomMessage | null; shaped: ChatMessage | null } = { source: null, shaped: null };
function everyoneMessage(message: RoomMessage): ChatMessage {
  if (latest.source === message) return latest.shaped!;
  let shaped = everyoneShape.get(message);
  if (!shaped) {
    const { roomId: _room, ...fields } = message;
    shaped = Object.freeze({ ...fields, author: message.author });
    everyoneShape.set(message, shaped);
  }
  latest = { source: message, shaped };
  return shaped;
}

/**
 * chat.onMessage's view of one room: its messages after `last` (a message id) from the database,
 * then live ones in id order. #everyone's keep their shape from before rooms (no roomId); any
 * other room's stream ends when its reader leaves or is removed.
 */
abstract class MessageView<Out extends ChatMessage> extends ReaderView<Out> {
  /**
   * Without a cursor: the events that passed since the subscription, before its membership was read.
   * Only #everyone's stream keeps them: every account is in it from sign-up, so none predates the reader's join.
   */
  protected earlier: readonly StoredEvent[] = NONE;

  constructor(
    deps: ReaderStreamDeps,
    userId: string,
    protected readonly roomId: string,
    /** The last message id sent; null: live only, nothing to catch up. */
    protected last: string | null,
  ) {
    super(deps, userId);
  }

  protected abstract fromRecord(message: ChatMessage): Out;
  protected abstract fromEvent(message: RoomMessage): Out;

  wants(item: StreamItem) {
    return item.durable !== undefined && item.durable.roomId === this.roomId;
  }

  async *start(): AsyncGenerator<Out, typeof END | void> {
    if (!this.rooms.has(this.roomId)) return END;
    if (this.last === null) {
      // Live from the subscription, as chat.onMessage has always been: what came while the membership was read too.
      const earlier = this.earlier;
      this.earlier = NONE;
      for (const event of earlier) {
        if (event.roomId !== this.roomId) continue;
        const out = this.take({ durable: event });
        if (out !== null && out !== END) yield out;
      }
      return;
    }
    for (;;) {
      const page = await repositoriesFor(this.deps.orm.em.fork()).messages.listAfter(this.last, PAGE, this.roomId, this.userId);
      for (const record of page) {
        this.last = record.id;
        yield this.fromRecord(toChatMessage(record));
      }
      if (page.length < PAGE) return;
    }
  }

  take(item: StreamItem, member = false): Out | null | typeof END {
    if (!member && !this.rooms.has(this.roomId)) return END;
    const event = item.durable;
    if (!event || event.type !== 'message.created' || !event.message || !messageReadableBy(event, this.userId)) return null;
    if (this.last !== null && !idAfter(event.message.id, this.last)) return null;
    this.last = event.message.id;
    return this.fromEvent(event.message);
  }
}

class EveryoneMessages extends MessageView<ChatMessage> {
  override begin(_at: string, earlier: readonly StoredEvent[]) {
    if (this.last === null && earlier.length > 0) this.earlier = earlier;
  }

  protected fromRecord(message: ChatMessage) {
    return message;
  }
  protected fromEvent(message: RoomMessage) {
    return everyoneMessage(message);
  }
}

class RoomMessages extends MessageView<RoomMessage> {
  protected fromRecord(message: ChatMessage): RoomMessage {
    return { ...message, roomId: this.roomId };
  }
  protected fromEvent(message: RoomMessage) {
    return message;
  }
}

/**
 * chat.onMessage without a roomId (or #everyone's): #everyone's messages after `lastEventId`, then
 * live ones. With `push` (the push lane), live ones go through it once the backlog is out.
 */
export function everyoneMessageStream(
  deps: ReaderStreamDeps,
  opts: { userId: string; lastEventId: string | null; signal: AbortSignal; push?: MessageWriter | null },
): AsyncGenerator<ChatMessage, (() => void) | void> {
  return readerStream(deps, { signal: opts.signal, push: opts.push ?? null }, new EveryoneMessages(deps, opts.userId, EVERYONE_ROOM_ID, opts.lastEventId));
}

/** chat.onMessage with another room's id: its messages after `lastEventId`, then live ones; ends when the caller leaves or is removed. */
export function roomMessageStream(
  deps: ReaderStreamDeps,
  opts: { userId: string; roomId: string; lastEventId: string | null; signal: AbortSignal },
): AsyncGenerator<RoomMessage, (() => void) | void> {
  return readerStream(deps, { signal: opts.signal }, new RoomMessages(deps, opts.userId, opts.roomId, opts.lastEventId));
}
