import type { TypingStreamEvent } from '../api/room-types';
import { noOneTyping, typingReducer, type TypingUsers } from './typing-users';

/** Who is typing, per room. */
export type TypingByRoom = Readonly<Record<string, TypingUsers>>;

export const noOneTypingAnywhere: TypingByRoom = {};

export type TypingByRoomAction = { type: 'event'; event: TypingStreamEvent; meId: string } | { type: 'reset' };

/** The one-room typing fold, once per room; `reset` forgets everyone (the socket dropped, a stop may be lost). */
export function typingByRoomReducer(state: TypingByRoom, action: TypingByRoomAction): TypingByRoom {
  if (action.type === 'reset') return Object.keys(state).length ? noOneTypingAnywhere : state;
  const { event, meId } = action;
  const before = state[event.roomId] ?? noOneTyping;
  const after = typingReducer(before, { type: 'event', event: { user: event.user, typing: event.typing }, meId });
  if (after === before) return state;
  const next = { ...state, [event.roomId]: after };
  if (after.length === 0) delete next[event.roomId];
  return next;
}

export const typingIn = (state: TypingByRoom, roomId: string): TypingUsers => state[roomId] ?? noOneTyping;
