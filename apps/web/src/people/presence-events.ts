import type { PresenceStreamEvent } from '../api/room-types';
import type { PresenceUpdate } from './online-users';

/** chat.onEvent's presence events in the shape the online list folds (chat.onPresence's). */
export function presenceUpdateOf(event: PresenceStreamEvent): PresenceUpdate {
  if (event.type === 'presence.snapshot') return { type: 'snapshot', users: event.users };
  return { type: event.online ? 'join' : 'leave', user: event.user };
}
