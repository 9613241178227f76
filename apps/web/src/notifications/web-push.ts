import { useEffect } from 'react';
import { trpc } from '../api/trpc';

// Web Push for this browser (docs/decisions/148-web-push.md): once notifications are allowed, the
// service worker's push subscription is made (or found) and handed to the server, which ties it to
// this session: logging out ends it there.

const supported = () => typeof navigator !== 'undefined' && 'serviceWorker' in navigator && typeof PushManager !== 'undefined';

/** The VAPID key as PushManager wants it. */
const keyBytes = (base64url: string) => Uint8Array.from(atob(base64url.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

/**
 * Subscribes this browser while `allowed` (the user's choice and the browser's permission), and ends
 * the subscription when the user turns notifications off; quietly nothing where push is unavailable.
 */
export function useWebPush(allowed: boolean): void {
  const utils = trpc.useUtils();
  useEffect(() => {
    if (!supported()) return;
    if (!allowed) {
      void (async () => {
        const registration = await navigator.serviceWorker.getRegistration();
        const existing = await registration?.pushManager.getSubscription();
        if (!existing) return;
        await utils.client.push.unsubscribe.mutate({ endpoint: existing.endpoint });
        await existing.unsubscribe();
      })().catch(() => {});
      return;
    }
    let cancelled = false;
    void (async () => {
      const { publicKey } = await utils.client.push.publicKey.query();
      if (!publicKey || cancelled) return;
      const registration = await navigator.serviceWorker.ready;
      const existing = await registration.pushManager.getSubscription();
      const subscription = existing ?? (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) }));
      const json = subscription.toJSON();
      if (cancelled || !json.endpoint || !json.keys?.p256dh || !json.keys.auth) return;
      await utils.client.push.subscribe.mutate({ endpoint: json.endpoint, keys: { p256dh: json.keys.p256dh, auth: json.keys.auth } });
    })().catch(() => {
      // No push service reachable (a browser without one, a headless one, a refused permission): in-tab notifications still work.
    });
    return () => {
      cancelled = true;
    };
  }, [allowed, utils]);
}
