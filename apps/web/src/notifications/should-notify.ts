import { type NotificationState, notifyReasons, settingsAllowNotification } from '@chat/client/core';

export interface NotifyInput {
  message: { roomId: string; author: { id: string }; mentions?: readonly { id: string }[] | undefined; deleted?: unknown };
  roomKind: 'channel' | 'private' | 'dm' | null;
  meId: string;
  /** The tab is hidden: a visible tab shows the message itself. */
  hidden: boolean;
  /** The user's choice is 'on' and the browser granted the permission. */
  allowed: boolean;
  /** The user's notification settings and their other devices' focus (@chat/client/core). */
  settings: NotificationState;
  now: number;
  /** The message is a reply in a thread the user follows. */
  followsThread?: boolean;
}

/**
 * A new message notifies while the tab is hidden when Web Push would push it: a DM or a mention by
 * default, as the room's level, mute and the quiet hours allow (the rule is @chat/api's, shared with
 * the server), and not while another device of the user shows that room.
 */
export function shouldNotify({ message, roomKind, meId, hidden, allowed, settings, now, followsThread }: NotifyInput): boolean {
  if (!allowed || !hidden || message.deleted) return false;
  return settingsAllowNotification(settings, message.roomId, notifyReasons(message, roomKind, meId, followsThread), now);
}
