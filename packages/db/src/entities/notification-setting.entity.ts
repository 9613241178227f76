import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { NotificationSettingRepository } from '../repositories/notification-setting.repository';
import { Room } from './room.entity';
import { User } from './user.entity';

/** A user's choice for one room (docs/decisions/149-notification-settings.md); no row: the default. */
export const RoomNotificationSetting = defineEntity({
  name: 'RoomNotificationSetting',
  tableName: 'room_notification_settings',
  repository: () => NotificationSettingRepository,
  properties: (p) => ({
    user: () => p.manyToOne(User).deleteRule('cascade').primary(),
    room: () => p.manyToOne(Room).deleteRule('cascade').primary(),
    /** all | mentions | nothing. */
    level: p.string().length(16),
    /** Silent until then, whatever the level; null: not muted. */
    mutedUntil: p.datetime().nullable(),
  }),
});

export type RoomNotificationSetting = InferEntity<typeof RoomNotificationSetting>;

/** A user's do-not-disturb hours, in their own time zone; no row: none. */
export const NotificationSchedule = defineEntity({
  name: 'NotificationSchedule',
  tableName: 'notification_schedules',
  properties: (p) => ({
    user: () => p.manyToOne(User).deleteRule('cascade').primary(),
    /** Minutes after local midnight; start > end spans midnight. */
    dndStartMinute: p.smallint(),
    dndEndMinute: p.smallint(),
    /** An IANA zone (Europe/Paris). */
    timeZone: p.string().length(64),
  }),
});

export type NotificationSchedule = InferEntity<typeof NotificationSchedule>;
