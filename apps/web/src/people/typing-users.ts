import type { TypingStreamEvent } from '../api/room-types';
import type { OnlineUser } from './online-users';
import { shownName } from './shown-name';

/** Who started or stopped typing: chat.onEvent's typing event without its room. */
export type TypingEvent = Pick<TypingStreamEvent, 'user' | 'typing'>;

/** Who is typing, in the order they started (with a display name where the room knows one: `withDisplayNames`). */
export type TypingUsers = readonly OnlineUser[];

export const noOneTyping: TypingUsers = [];

export type TypingAction = { type: 'event'; event: TypingEvent; meId: string } | { type: 'reset' };

/**
 * Folds the server's typing stream. The server never sends the user's own typing; the id
 * check here keeps it that way even if it did. `reset` forgets everyone when the socket drops
 * or the stream restarts (a stop may be missed meanwhile); the restarted stream names who is still typing.
 */
export function typingReducer(state: TypingUsers, action: TypingAction): TypingUsers {
  if (action.type === 'reset') return state.length ? noOneTyping : state;
  const { event, meId } = action;
  if (event.user.id === meId) return state;
  const listed = state.some((u) => u.id === event.user.id);
  if (event.typing) return listed ? state : [...state, { id: event.user.id, username: event.user.username }];
  return listed ? state.filter((u) => u.id !== event.user.id) : state;
}

/** "alice is typing…", "alice and bob are typing…", "3 people are typing…", or nothing. */
export function describeTyping(users: TypingUsers): string {
  const [first, second] = users;
  if (!first) return '';
  if (!second) return `${shownName(first)} is typing…`;
  if (users.length === 2) return `${shownName(first)} and ${shownName(second)} are typing…`;
  return `${users.length} people are typing…`;
}

