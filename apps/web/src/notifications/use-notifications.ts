import { useCallback, useSyncExternalStore } from 'react';
import { type NotificationChoice, readNotificationChoice, writeNotificationChoice } from './notification-setting';

export type Permission = NotificationPermission | 'unsupported';

const supported = () => typeof Notification !== 'undefined';
const listeners = new Set<() => void>();
const changed = () => listeners.forEach((l) => l());
const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};
const snapshot = () => `${readNotificationChoice() ?? ''}|${supported() ? Notification.permission : 'unsupported'}`;

export interface Notifications {
  choice: NotificationChoice;
  permission: Permission;
  /** The choice is 'on' and the browser lets us. */
  allowed: boolean;
  /** From a user gesture only: browsers ignore (or penalise) permission requests made without one. */
  turnOn(): Promise<void>;
  turnOff(): void;
}

/** Browser notifications for mentions and DMs: the user's choice (stored per browser) and the browser's permission. */
export function useNotifications(): Notifications {
  const state = useSyncExternalStore(subscribe, snapshot);
  const [choiceText, permission] = state.split('|') as [string, Permission];
  const choice = (choiceText || null) as NotificationChoice;
  const turnOn = useCallback(async () => {
    if (!supported()) return;
    const result = Notification.permission === 'default' ? await Notification.requestPermission() : Notification.permission;
    writeNotificationChoice(result === 'granted' ? 'on' : 'off');
    changed();
  }, []);
  const turnOff = useCallback(() => {
    writeNotificationChoice('off');
    changed();
  }, []);
  return { choice, permission, allowed: choice === 'on' && permission === 'granted', turnOn, turnOff };
}

/** Shows one notification; a click brings the tab forward and opens the message. */
export function showNotification(title: string, body: string, tag: string, onClick: () => void): void {
  if (!supported() || Notification.permission !== 'granted') return;
  try {
    const n = new Notification(title, { body, tag });
    n.onclick = () => {
      window.focus();
      onClick();
      n.close();
    };
  } catch {
    // Some mobile browsers allow notifications only from a service worker; the badge still shows.
  }
}
