import { EntityRepository } from '@mikro-orm/postgresql';
import type { RoomNotificationSetting } from '../entities/notification-setting.entity';
import type { RoomKindRecord } from '../records';

export type NotificationLevelRecord = 'all' | 'mentions' | 'nothing';

export interface RoomNotificationRecord {
  roomId: string;
  level: NotificationLevelRecord;
  mutedUntil: Date | null;
}

export interface NotificationScheduleRecord {
  dndStartMinute: number;
  dndEndMinute: number;
  timeZone: string;
}

export interface NotificationSettingsRecord {
  rooms: RoomNotificationRecord[];
  schedule: NotificationScheduleRecord | null;
}

/** A member who may be told about a message, with their choices for its room. */
export interface PushAudienceRecord {
  userId: string;
  level: NotificationLevelRecord;
  mutedUntil: Date | null;
  schedule: NotificationScheduleRecord | null;
}

const DEFAULT_LEVEL: NotificationLevelRecord = 'mentions';

export class NotificationSettingRepository extends EntityRepository<RoomNotificationSetting> {
  /** The user's choices for rooms they are still a member of, and their schedule. */
  async ofUser(userId: string): Promise<NotificationSettingsRecord> {
    const em = this.getEntityManager();
    const rooms = await em.execute<{ room_id: string; level: NotificationLevelRecord; muted_ms: number | null }[]>(
      `select s.room_id, s.level, extract(epoch from s.muted_until)::float8 * 1000 as muted_ms
         from room_notification_settings s
         join room_members rm on rm.room_id = s.room_id and rm.user_id = s.user_id and rm.left_event_id is null
        where s.user_id = ? order by s.room_id`,
      [userId],
    );
    const schedules = await em.execute<{ dnd_start_minute: number; dnd_end_minute: number; time_zone: string }[]>(
      'select dnd_start_minute, dnd_end_minute, time_zone from notification_schedules where user_id = ?',
      [userId],
    );
    const s = schedules[0];
    return {
      rooms: rooms.map((r) => ({ roomId: r.room_id, level: r.level, mutedUntil: r.muted_ms === null ? null : new Date(Math.floor(r.muted_ms)) })),
      schedule: s ? { dndStartMinute: s.dnd_start_minute, dndEndMinute: s.dnd_end_minute, timeZone: s.time_zone } : null,
    };
  }

  /** Sets the user's choice for a room they are a member of; false when they are not (nothing written). */
  async setRoom(userId: string, roomId: string, level: NotificationLevelRecord, mutedUntil: Date | null): Promise<boolean> {
    const rows = await this.getEntityManager().execute<{ room_id: string }[]>(
      `insert into room_notification_settings (user_id, room_id, level, muted_until)
         select rm.user_id, rm.room_id, ?, ? from room_members rm where rm.room_id = ? and rm.user_id = ? and rm.left_event_id is null
       on conflict (user_id, room_id) do update set level = excluded.level, muted_until = excluded.muted_until
       returning room_id`,
      [level, mutedUntil, roomId, userId],
    );
    return rows.length > 0;
  }

  async setSchedule(userId: string, schedule: NotificationScheduleRecord | null): Promise<void> {
    const em = this.getEntityManager();
    if (!schedule) {
      await em.execute('delete from notification_schedules where user_id = ?', [userId]);
      return;
    }
    await em.execute(
      `insert into notification_schedules (user_id, dnd_start_minute, dnd_end_minute, time_zone) values (?, ?, ?, ?)
       on conflict (user_id) do update set dnd_start_minute = excluded.dnd_start_minute, dnd_end_minute = excluded.dnd_end_minute, time_zone = excluded.time_zone`,
      [userId, schedule.dndStartMinute, schedule.dndEndMinute, schedule.timeZone],
    );
  }

  /** The room's kind and name, for a notification's title. */
  async roomSummary(roomId: string): Promise<{ kind: RoomKindRecord; name: string | null } | null> {
    const rows = await this.getEntityManager().execute<{ kind: RoomKindRecord; name: string | null }[]>("select case when is_group then 'dm' else kind end as kind, name from rooms where id = ?", [roomId]);
    return rows[0] ?? null;
  }

  /**
   * Who may be told about a message in `roomId`: its current members but the author who are
   * `candidates` (named by a trigger), or all of them when `wholeRoom`, or who chose "all messages";
   * with their choices.
   */
  async audience(roomId: string, authorId: string, candidates: readonly string[], wholeRoom: boolean): Promise<PushAudienceRecord[]> {
    const rows = await this.getEntityManager().execute<
      { user_id: string; level: NotificationLevelRecord; muted_ms: number | null; dnd_start_minute: number | null; dnd_end_minute: number | null; time_zone: string | null }[]
    >(
      `select rm.user_id, coalesce(s.level, '${DEFAULT_LEVEL}') as level, extract(epoch from s.muted_until)::float8 * 1000 as muted_ms,
              ns.dnd_start_minute, ns.dnd_end_minute, ns.time_zone
         from room_members rm
         left join room_notification_settings s on s.user_id = rm.user_id and s.room_id = rm.room_id
         left join notification_schedules ns on ns.user_id = rm.user_id
        where rm.room_id = ? and rm.left_event_id is null and rm.user_id <> ?
          and (?::boolean or rm.user_id = any(string_to_array(?, ',')::uuid[]) or s.level = 'all')
        order by rm.user_id`,
      // A joined string: an empty array would be bound as nothing at all.
      [roomId, authorId, wholeRoom, candidates.join(',')],
    );
    return rows.map((r) => ({
      userId: r.user_id,
      level: r.level,
      mutedUntil: r.muted_ms === null ? null : new Date(Math.floor(r.muted_ms)),
      schedule:
        r.dnd_start_minute === null || r.dnd_end_minute === null || r.time_zone === null
          ? null
          : { dndStartMinute: r.dnd_start_minute, dndEndMinute: r.dnd_end_minute, timeZone: r.time_zone },
    }));
  }
}
