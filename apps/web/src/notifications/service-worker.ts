import { useEffect, useRef } from 'react';

// The service worker (public/sw.js): the offline shell, and Web Push's notifications and their clicks.

/** Registers /sw.js at the root scope once the page has loaded; the development server has none (its modules are not a shell to cache). */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  const register = () =>
    void navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
      // Without it the app works as before, online only.
    });
  // After the page's own load: installing fetches every chunk of the build, which must not share the first
  // screen's bandwidth (docs/decisions/164).
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}

const ROOM_ID = /^[0-9a-f-]{36}$/i;
const MESSAGE_ID = /^[1-9][0-9]{0,18}$/;

/** The message a notification's URL names (`/r/<room>?m=<message>`), if any and well formed. */
export function messageOfUrl(search: string): string | null {
  const id = new URLSearchParams(search).get('m');
  return id && MESSAGE_ID.test(id) ? id : null;
}

/** A click on a notification while a tab is open: the service worker asks the tab to open the message. */
export function useNotificationClicks(onOpen: (roomId: string, messageId: string) => void): void {
  const latest = useRef(onOpen);
  latest.current = onOpen;
  useEffect(() => {
    if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
    const onMessage = (event: MessageEvent) => {
      const data: unknown = event.data;
      if (!data || typeof data !== 'object' || !('type' in data) || data.type !== 'open-message') return;
      const { roomId, messageId } = data as { roomId?: unknown; messageId?: unknown };
      if (typeof roomId === 'string' && ROOM_ID.test(roomId) && typeof messageId === 'string' && MESSAGE_ID.test(messageId)) latest.current(roomId.toLowerCase(), messageId);
    };
    navigator.serviceWorker.addEventListener('message', onMessage);
    // Messages wait in a queue until a page starts taking them.
    navigator.serviceWorker.startMessages();
    return () => navigator.serviceWorker.removeEventListener('message', onMessage);
  }, []);
}
