import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { Room } from './room.entity';
import { User } from './user.entity';

/**
 * One membership interval: from the event that added the user to the one that took them out
 * (null while they are a member). Replay authorises "at the event's time" against these rows.
 */
export const RoomMember = defineEntity({
  name: 'RoomMember',
  tableName: 'room_members',
  properties: (p) => ({
    id: p.bigint('string').primary().autoincrement(),
    room: () => p.manyToOne(Room).deleteRule('cascade'),
    user: () => p.manyToOne(User).deleteRule('cascade'),
    joinedEventId: p.bigint('string'),
    leftEventId: p.bigint('string').nullable(),
    joinedAt: p.datetime(),
    /** Monotonic: room.markRead never moves it back. */
    lastReadMessageId: p.bigint('string').nullable(),
  }),
  indexes: [
    { name: 'room_members_user_room_index', properties: ['user', 'room', 'joinedEventId'] },
    {
      name: 'room_members_current_unique',
      expression: 'create unique index "room_members_current_unique" on "room_members" ("room_id", "user_id") where "left_event_id" is null',
    },
  ],
});

export type RoomMember = InferEntity<typeof RoomMember>;
