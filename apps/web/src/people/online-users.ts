import type { RouterOutputs } from '../api/trpc';
import type { PresenceStreamEvent } from '../api/room-types';

type Yielded<T> = T extends AsyncIterable<infer Item> ? Item : never;

/** What chat.onPresence yields: a snapshot first, then joins and leaves. */
export type PresenceUpdate = Yielded<RouterOutputs['chat']['onPresence']>;
/** A person online, as chat.onEvent's presence events name them (the display name, when shown, from `withDisplayNames`). */
export type OnlineUser = Extract<PresenceStreamEvent, { type: 'presence.changed' }>['user'] & { displayName?: string };

/** Who is online, sorted by name so the list does not jump as people come and go. */
export type OnlineUsers = readonly OnlineUser[];

export const noOneOnline: OnlineUsers = [];

const byName = (a: OnlineUser, b: OnlineUser) => a.username.localeCompare(b.username) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Folds the server's presence stream: a snapshot replaces everything, joins and leaves adjust it. */
export function presenceReducer(state: OnlineUsers, update: PresenceUpdate): OnlineUsers {
  switch (update.type) {
    case 'snapshot': {
      const unique = new Map(update.users.map((u) => [u.id, { id: u.id, username: u.username }]));
      return [...unique.values()].sort(byName);
    }
    case 'join':
      if (state.some((u) => u.id === update.user.id)) return state;
      return [...state, { id: update.user.id, username: update.user.username }].sort(byName);
    case 'leave':
      return state.some((u) => u.id === update.user.id) ? state.filter((u) => u.id !== update.user.id) : state;
  }
}

/** The signed-in user first (the server counts them too), then everyone else by name. */
export function withMeFirst(users: OnlineUsers, meId: string): OnlineUsers {
  const me = users.find((u) => u.id === meId);
  return me ? [me, ...users.filter((u) => u !== me)] : users;
}

export const describeOnlineCount = (count: number) => `${count} online`;
