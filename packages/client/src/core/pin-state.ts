import type { ChatEvent, ChatMessage, Pin, RoomMessage } from '@chat/api';
import { compareIds } from './ids';
import { applyDeleted, applyEdited, applyPreview, applyThreadUpdated, applyUserUpdated } from './message-lifecycle';

// A room's pinned messages (docs/decisions/154-pinned-messages.md) folded from chat.onEvent, as
// room-state.ts folds rooms: chat.pins read after a cursor, plus the events after it, equals a fresh
// chat.pins. Every step sets state (a pin by its message id, the message from its event), so an
// event the snapshot already reflects changes nothing.

export interface PinListState {
  meId: string;
  roomId: string;
  /** The last event applied: events at or before it change nothing. */
  cursor: string | null;
  /** Newest pin first, as chat.pins lists them. */
  pins: readonly Pin[];
  /** The caller joined the room again or the stream resynced: read chat.pins again. */
  stale: boolean;
}

export function fromPins(meId: string, roomId: string, cursor: string | null, pins: readonly Pin[]): PinListState {
  return { meId, roomId, cursor, pins: sortPins(pins), stale: false };
}

/** chat.pins's order: the newest pin first; pins of the same millisecond, the larger message id first. */
export function sortPins(pins: readonly Pin[]): Pin[] {
  return [...pins].sort((a, b) => (a.pinnedAt < b.pinnedAt ? 1 : a.pinnedAt > b.pinnedAt ? -1 : compareIds(b.message.id, a.message.id)));
}

/** Applies the same message change to every pinned message (a quote of a changed message changes too). */
function changed(pins: readonly Pin[], apply: (messages: readonly ChatMessage[]) => ChatMessage[]): readonly Pin[] {
  const messages = apply(pins.map((p) => p.message));
  let any = false;
  const next = pins.map((p, i) => {
    const m = messages[i]!;
    if (m === p.message) return p;
    any = true;
    return { ...p, message: { ...m, roomId: p.message.roomId } as RoomMessage };
  });
  return any ? next : pins;
}

/** Applies one chat.onEvent event to the room's pinned list. */
export function applyPinEvent(state: PinListState, event: ChatEvent): PinListState {
  if (!('eventId' in event) || (state.cursor !== null && compareIds(event.eventId, state.cursor) <= 0)) return state;
  const next: PinListState = { ...state, cursor: event.eventId };
  if (event.type === 'resync') return { ...next, stale: true };
  if (event.roomId !== state.roomId) return next;
  const put = (pins: readonly Pin[]): PinListState => (pins === state.pins ? next : { ...next, pins });
  switch (event.type) {
    case 'message.pinned':
      return put(sortPins([...state.pins.filter((p) => p.message.id !== event.pin.message.id), event.pin]));
    case 'message.unpinned':
      return put(state.pins.some((p) => p.message.id === event.messageId) ? state.pins.filter((p) => p.message.id !== event.messageId) : state.pins);
    case 'message.deleted': {
      // Its pin went with it (in the delete's transaction); quotes of it in other pins show it deleted.
      const quoted = changed(state.pins, (ms) => applyDeleted(ms, event));
      return put(quoted.some((p) => p.message.id === event.messageId) ? quoted.filter((p) => p.message.id !== event.messageId) : quoted);
    }
    case 'message.edited':
      return put(changed(state.pins, (ms) => applyEdited(ms, event)));
    case 'message.preview':
      return put(changed(state.pins, (ms) => applyPreview(ms, event)));
    case 'thread.updated':
      return put(changed(state.pins, (ms) => applyThreadUpdated(ms, event)));
    case 'user.updated': {
      const authors = changed(state.pins, (ms) => applyUserUpdated(ms, event));
      const byWho = authors.some((p) => p.pinnedBy?.id === event.user.id && p.pinnedBy.username !== event.user.username);
      return put(byWho ? authors.map((p) => (p.pinnedBy?.id === event.user.id ? { ...p, pinnedBy: { id: event.user.id, username: event.user.username } } : p)) : authors);
    }
    case 'room.left':
      return event.user.id === state.meId ? { ...next, pins: [] } : next;
    case 'room.joined':
      return event.user.id === state.meId ? { ...next, stale: true } : next;
    default:
      return next;
  }
}

/** Whether the message is pinned, as of the last event applied. */
export const isPinned = (state: PinListState | null, messageId: string) => state?.pins.some((p) => p.message.id === messageId) ?? false;
