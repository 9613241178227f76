import type { ChatEvent, NotificationSettings, NotifyReason } from '@chat/api';
import { notificationAllowed, roomChoice, triggerReasons } from '@chat/api/schemas';

// What decides whether a message notifies on this device (docs/decisions/149, 150): the user's settings
// (notifications.get, then every notifications.changed, each carrying the whole settings) and which
// room the user's other devices look at (focus.changed). The web and bots fold the same events here.

/** A focus report holds this long without being repeated (the server's FOCUS_TTL_MS). */
export const FOCUS_TTL_MS = 90_000;

export interface NotificationState {
  /** Null until notifications.get answered. */
  settings: NotificationSettings | null;
  /** The user's other devices that show a room in a focused tab, by device (session id). */
  watching: Readonly<Record<string, { roomId: string; at: number }>>;
}

export const emptyNotificationState = (): NotificationState => ({ settings: null, watching: {} });

/** The snapshot: notifications.get's answer (after a (re)start of chat.onEvent, read it again). */
export const fromNotificationSettings = (state: NotificationState, settings: NotificationSettings): NotificationState => ({ ...state, settings });

/**
 * Folds one chat.onEvent event; others return `state` unchanged. `device` is this device's own
 * session id (its own focus reports are ignored), `now` when the event arrived.
 */
export function applyNotificationEvent(state: NotificationState, event: ChatEvent, device: string | null, now: number): NotificationState {
  if (event.type === 'notifications.changed') return { ...state, settings: event.settings };
  if (event.type !== 'focus.changed' || event.device === device) return state;
  const watching = { ...state.watching };
  if (event.focusedRoomId === null) delete watching[event.device];
  else watching[event.device] = { roomId: event.focusedRoomId, at: now };
  return { ...state, watching };
}

/** Another device of the user shows `roomId` in a focused tab (its report still fresh). */
export const watchedElsewhere = (state: NotificationState, roomId: string, now: number): boolean =>
  Object.values(state.watching).some((w) => w.roomId === roomId && now - w.at <= FOCUS_TTL_MS);

/** Why a new message concerns the viewer: Web Push's triggers (a DM, a mention), then 'message'; none for their own. */
export function notifyReasons(
  message: { author: { id: string }; mentions?: readonly { id: string }[] | undefined },
  roomKind: 'channel' | 'private' | 'dm' | null,
  meId: string,
  /** A reply in a thread the user follows (the web's thread fold knows). */
  followsThread = false,
): NotifyReason[] {
  if (message.author.id === meId) return [];
  const trigger = { authorId: message.author.id, roomKind, mentionIds: (message.mentions ?? []).map((u) => u.id), ...(followsThread ? { threadFollowerIds: [meId] } : {}) };
  return [...triggerReasons(trigger, meId), 'message'];
}

/** The settings' verdict for a message in `roomId`, and nobody looking at it on another device. */
export function settingsAllowNotification(state: NotificationState, roomId: string, reasons: readonly NotifyReason[], now: number): boolean {
  const choice = roomChoice(state.settings, roomId);
  return notificationAllowed(choice, state.settings?.schedule ?? null, reasons, new Date(now)) && !watchedElsewhere(state, roomId, now);
}
