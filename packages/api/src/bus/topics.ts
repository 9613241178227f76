import { OWN_EVENT_TYPES } from '../events/stored-event';
import type { LiveEvent, Topic } from './event-bus';

export type { Topic };

export const roomTopic = (roomId: string): Topic => `room:${roomId}`;
export const userTopic = (userId: string): Topic => `user:${userId}`;

/** Stored kinds that go to their subject's topic: their own, and a join (the joiner's instance may not follow the room yet). */
export const USER_TOPIC_EVENT_TYPES: readonly string[] = [...OWN_EVENT_TYPES, 'room.joined'];

/**
 * Where a live event goes: its topics, or `all` for what every instance needs whoever it serves
 * (presence, sessions ending, focus for Web Push, typing in #everyone). The feed's database reads
 * follow the same rule for stored events (`EventRepository.idsFor`).
 */
export function topicsOf(event: LiveEvent): Topic[] | 'all' {
  switch (event.type) {
    case 'typing':
      return event.roomId ? [roomTopic(event.roomId)] : 'all';
    case 'role-changed':
    case 'notifications-changed':
      return [userTopic(event.userId)];
    case 'event': {
      const { type, roomId, userId } = event.event;
      if (userId === null) return [roomTopic(roomId)];
      if ((OWN_EVENT_TYPES as readonly string[]).includes(type)) return [userTopic(userId)];
      return type === 'room.joined' ? [roomTopic(roomId), userTopic(userId)] : [roomTopic(roomId)];
    }
    default:
      return 'all';
  }
}

/** The rooms and users among `topics`, for a database read of what they would have carried. */
export function splitTopics(topics: Iterable<Topic>): { roomIds: string[]; userIds: string[] } {
  const roomIds: string[] = [];
  const userIds: string[] = [];
  for (const topic of topics) {
    if (topic.startsWith('room:')) roomIds.push(topic.slice(5));
    else userIds.push(topic.slice(5));
  }
  return { roomIds, userIds };
}
