import { useCallback, useMemo, useSyncExternalStore } from 'react';
import { NOTIFICATION_CHOICE_KEY, type NotificationChoice, readNotificationChoice, writeNotificationChoice } from './notification-setting';

export type Permission = NotificationPermission | 'unsupported';

const supported = () => typeof Notification !== 'undefined';
const read = () => `${readNotificationChoice() ?? ''}|${supported() ? Notification.permission : 'unsupported'}`;
// Read once and kept: React asks for the snapshot on every render of the chat screen, and each read
// of Notification.permission is a synchronous call into the browser (a startup profile found it
// among the costliest functions). It is read again whenever it may have changed (below).
let cached: string | null = null;
const listeners = new Set<() => void>();
const changed = () => {
  cached = null;
  listeners.forEach((l) => l());
};
// The choice may change in another tab, the permission in the browser's settings while the page is hidden.
const onStorage = (e: StorageEvent) => (e.key === null || e.key === NOTIFICATION_CHOICE_KEY) && changed();
const onVisibility = () => document.visibilityState === 'visible' && changed();
const subscribe = (l: () => void) => {
  if (listeners.size === 0) {
    cached = null;
    window.addEventListener('storage', onStorage);
    document.addEventListener('visibilitychange', onVisibility);
  }
  listeners.add(l);
  return () => {
    listeners.delete(l);
    if (listeners.size > 0) return;
    window.removeEventListener('storage', onStorage);
    document.removeEventListener('visibilitychange', onVisibility);
  };
};
const snapshot = () => (cached ??= read());

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
  // One object while nothing changed: the chat screen's memoised parts take it as a prop (decision 160).
  return useMemo(() => ({ choice, permission, allowed: choice === 'on' && permission === 'granted', turnOn, turnOff }), [choice, permission, turnOn, turnOff]);
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
