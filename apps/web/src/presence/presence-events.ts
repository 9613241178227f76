import type { EphemeralEvent } from '@chat/api';
import type { PresenceUpdate } from './online-users';

type PresenceEvent = Extract<EphemeralEvent, { type: 'presence.snapshot' | 'presence.changed' }>;

/** chat.onEvent's presence events in the shape the online list folds (chat.onPresence's). */
export function presenceUpdateOf(event: PresenceEvent): PresenceUpdate {
  if (event.type === 'presence.snapshot') return { type: 'snapshot', users: event.users };
  return { type: event.online ? 'join' : 'leave', user: event.user };
}
