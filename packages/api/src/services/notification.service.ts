import type { NotificationSettingsRecord } from '@chat/db';
import type { z } from 'zod';
import { requireMember, roomNotFound } from './room-access';
import type { NotificationSettings, RoomNotificationSetting, setNotificationScheduleInput, setRoomNotificationInput } from '../schemas/notification.schema';
import type { CallDeps } from './deps';

const toSettings = (r: NotificationSettingsRecord): NotificationSettings => ({
  rooms: r.rooms.map((room) => ({ roomId: room.roomId, level: room.level, mutedUntil: room.mutedUntil?.toISOString() ?? null })),
  schedule: r.schedule && { startMinute: r.schedule.dndStartMinute, endMinute: r.schedule.dndEndMinute, timeZone: r.schedule.timeZone },
});

/** Per-room notification levels, mutes and the do-not-disturb schedule (docs/decisions/149). */
export function createNotificationService(call: CallDeps) {
  /** After a change: the user's every stream gets the whole new settings (notifications.changed). */
  const announce = async (userId: string): Promise<NotificationSettings> => {
    const settings = toSettings(await call.repos.notificationSettings.ofUser(userId));
    call.bus.publish({ type: 'notifications-changed', userId, settings });
    return settings;
  };
  return {
    async get(user: { id: string }): Promise<NotificationSettings> {
      return toSettings(await call.repos.notificationSettings.ofUser(user.id));
    },

    /** Members only, by the room-access rule (a public channel's non-member FORBIDDEN, anything else NOT_FOUND). */
    async setRoom(user: { id: string }, input: z.output<typeof setRoomNotificationInput>): Promise<RoomNotificationSetting> {
      await call.limits.consumeNotificationWrite(user.id);
      await requireMember(call.repos, input.roomId, user.id);
      const mutedUntil = input.mutedUntil ? new Date(input.mutedUntil) : null;
      // A mute already over is no mute.
      const stored = mutedUntil && mutedUntil.getTime() > Date.now() ? mutedUntil : null;
      if (!(await call.repos.notificationSettings.setRoom(user.id, input.roomId, input.level, stored))) throw roomNotFound();
      await announce(user.id);
      return { roomId: input.roomId, level: input.level, mutedUntil: stored?.toISOString() ?? null };
    },

    async setSchedule(user: { id: string }, input: z.output<typeof setNotificationScheduleInput>): Promise<NotificationSettings> {
      await call.limits.consumeNotificationWrite(user.id);
      const s = input.schedule;
      await call.repos.notificationSettings.setSchedule(user.id, s && { dndStartMinute: s.startMinute, dndEndMinute: s.endMinute, timeZone: s.timeZone });
      return announce(user.id);
    },
  };
}
