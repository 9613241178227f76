import { z } from 'zod';
import { roomIdSchema } from './ids';

// Notification settings (docs/decisions/149-notification-settings.md): the schemas the server and the
// web validate with, and the one rule both apply, the server to Web Push and the web to in-tab
// notifications, so the two can never disagree about what a setting silences.

export const NOTIFICATION_LEVELS = ['all', 'mentions', 'nothing'] as const;
export type NotificationLevel = (typeof NOTIFICATION_LEVELS)[number];
/** No stored choice: mentions and DMs only. */
export const DEFAULT_NOTIFICATION_LEVEL: NotificationLevel = 'mentions';

/** Why a message may notify someone. A new trigger (a reply in a followed thread) adds its name here. */
export type NotifyReason = 'dm' | 'mention' | 'thread-reply' | 'message';

/** What the triggers look at in a new message. */
export interface TriggerMessage {
  authorId: string;
  roomKind: 'channel' | 'private' | 'dm' | null;
  mentionIds: readonly string[];
  /** A reply in a thread: who follows that thread (docs/decisions/145); absent for a room's own message. */
  threadFollowerIds?: readonly string[];
}

export interface NotifyTrigger {
  reason: Exclude<NotifyReason, 'message'>;
  /** User ids this message concerns for this reason, or 'room' for every member. */
  names(message: TriggerMessage): readonly string[] | 'room';
}

/**
 * What makes a message concern someone beyond "a new message" (docs/decisions/148): Web Push on the
 * server and in-tab notifications in the web both read this list; "mentions and DMs only" lets each through.
 */
export const NOTIFY_TRIGGERS: readonly NotifyTrigger[] = [
  { reason: 'dm', names: (m) => (m.roomKind === 'dm' ? 'room' : []) },
  { reason: 'mention', names: (m) => m.mentionIds },
  { reason: 'thread-reply', names: (m) => m.threadFollowerIds ?? [] },
];

/** The triggers' reasons for `userId` to hear about `message`, most important first; none for its author. */
export function triggerReasons(message: TriggerMessage, userId: string): NotifyReason[] {
  if (message.authorId === userId) return [];
  return NOTIFY_TRIGGERS.filter((t) => {
    const names = t.names(message);
    return names === 'room' || names.includes(userId);
  }).map((t) => t.reason);
}

/** The longest a mute may run: a year (longer is "nothing"). */
const MAX_MUTE_MS = 366 * 24 * 3600 * 1000;

const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

export const timeZoneSchema = z.string().min(1).max(64).refine(isTimeZone, 'Expected a time zone such as Europe/Paris');
const minuteOfDay = z.number().int().min(0).max(24 * 60 - 1);

export const dndScheduleSchema = z
  .object({ startMinute: minuteOfDay, endMinute: minuteOfDay, timeZone: timeZoneSchema })
  .strict()
  .refine((s) => s.startMinute !== s.endMinute, 'Do-not-disturb must start and end at different times');

export const setRoomNotificationInput = z
  .object({
    roomId: roomIdSchema,
    level: z.enum(NOTIFICATION_LEVELS),
    /** Silent until then whatever the level; null or absent: not muted. */
    mutedUntil: z.iso
      .datetime({ offset: true })
      .refine((t) => Date.parse(t) - Date.now() <= MAX_MUTE_MS, 'A room can be muted for a year at most')
      .nullable()
      .optional(),
  })
  .strict();

export const setNotificationScheduleInput = z.object({ schedule: dndScheduleSchema.nullable() }).strict();

export interface RoomNotificationSetting {
  roomId: string;
  level: NotificationLevel;
  /** ISO time; null: not muted. */
  mutedUntil: string | null;
}

export type DndSchedule = z.output<typeof dndScheduleSchema>;

/** Everything a user chose; rooms not listed have the default level and no mute. */
export interface NotificationSettings {
  rooms: RoomNotificationSetting[];
  schedule: DndSchedule | null;
}

/** The minute of the day `now` is in `timeZone`. */
export function localMinute(now: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

/** Inside the do-not-disturb hours (start inclusive, end exclusive; start after end spans midnight). */
export function inDoNotDisturb(schedule: DndSchedule | null, now: Date): boolean {
  if (!schedule) return false;
  const minute = localMinute(now, schedule.timeZone);
  const { startMinute: start, endMinute: end } = schedule;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/**
 * Whether a message with these `reasons` may notify, by the user's choices alone (who is looking at
 * the room is the caller's part). "mentions" lets through every reason but a plain message.
 */
export function notificationAllowed(
  choice: { level: NotificationLevel; mutedUntil: string | Date | null } | undefined,
  schedule: DndSchedule | null,
  reasons: readonly NotifyReason[],
  now: Date,
): boolean {
  const level = choice?.level ?? DEFAULT_NOTIFICATION_LEVEL;
  if (level === 'nothing' || reasons.length === 0) return false;
  if (level === 'mentions' && !reasons.some((r) => r !== 'message')) return false;
  const mutedUntil = choice?.mutedUntil ? new Date(choice.mutedUntil).getTime() : 0;
  if (mutedUntil > now.getTime()) return false;
  return !inDoNotDisturb(schedule, now);
}

/** The choice for `roomId` out of all of them. */
export const roomChoice = (settings: NotificationSettings | null, roomId: string) => settings?.rooms.find((r) => r.roomId === roomId);

// Web Push (docs/decisions/148-web-push.md).
// Counted from the text (no Buffer: the browser validates with this too); padding is allowed, as some browsers send it.
const base64url = (bytes: number) =>
  z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, 'Expected base64url')
    .refine((s) => Math.floor((s.replace(/=+$/, '').length * 3) / 4) === bytes, `Expected ${bytes} bytes of base64url`);

/** A push service URL as a browser hands it over: no control characters (PostgreSQL refuses NUL in text, and no real endpoint has one). */
// eslint-disable-next-line no-control-regex
const endpointText = z.string().max(2048).regex(/^[^\u0000-\u001f\u007f]*$/, 'Expected the push service URL');

export const pushSubscribeInput = z
  .object({
    /** The push service's URL (PushSubscription.endpoint); the server only posts to https on a public address. */
    endpoint: endpointText.url('Expected the push service URL'),
    keys: z.object({ p256dh: base64url(65), auth: base64url(16) }).strict(),
  })
  .strict();

export const pushUnsubscribeInput = z.object({ endpoint: endpointText }).strict();

/** Which room this tab shows while it has the focus; null: none (hidden, blurred, or no room open). */
export const pushFocusInput = z.object({ roomId: roomIdSchema.nullable() }).strict();
