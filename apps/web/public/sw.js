// Ember's service worker (docs/decisions/148-web-push.md, 150-focus-reports.md): the app shell offline,
// and Web Push's notifications. Hand-written and small: it caches the shell, never the API.

// The build this worker belongs to, written in by the build (vite-plugins/sw-build-stamp.ts): a new build is a
// changed worker, so the browser installs it, and its activation deletes every previous build's cache.
const BUILD = '__EMBER_BUILD__';
const SHELL_CACHE = `ember-shell-${BUILD}`;
const OFFLINE_URL = '/offline.html';
// The shell besides index.html's hashed assets, which install reads out of index.html itself.
const SHELL = ['/', OFFLINE_URL, '/offline.css', '/manifest.webmanifest', '/favicon.svg', '/icon-192.png'];
// Never answered from a cache: the API, the socket, files behind tickets, the health checks.
const NETWORK_ONLY = /^\/(trpc|ws|files|uploads|healthz|readyz|metrics)(\/|$)/;
const ROOM_ID = /^[0-9a-f-]{36}$/i;
const MESSAGE_ID = /^[1-9][0-9]{0,18}$/;

// Every script and style of this build, the lazily loaded chunks too, written in by the build (an array literal
// replaces the placeholder): an offline start can then open a dialog or panel this device never opened online.
const BUILD_ASSETS = ['__EMBER_ASSETS__'].filter((path) => path.startsWith('/'));

/** The hashed scripts and styles index.html names: the app's first screen. */
const assetsOf = (html) => [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);

/** Every chunk of this build not in the cache yet, one at a time so the page's own requests come first. */
async function keepBuildAssets() {
  const cache = await caches.open(SHELL_CACHE);
  for (const path of BUILD_ASSETS) if (!(await cache.match(path))) await cache.add(path).catch(() => {});
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      await cache.addAll(SHELL);
      const index = await cache.match('/');
      if (index) await cache.addAll(assetsOf(await index.text()));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      // The shells and assets of previous builds (names are per build), and anything else left here.
      for (const name of await caches.keys()) if (name !== SHELL_CACHE) await caches.delete(name);
      await self.clients.claim();
      // The build's other chunks, not waited for: fetches wait while a worker activates, and on a slow network these
      // are hundreds of kB. Best effort: one that misses now is still cached on its first use online.
      void keepBuildAssets();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || NETWORK_ONLY.test(url.pathname)) return;
  if (request.mode === 'navigate') {
    event.respondWith(page(request));
    return;
  }
  if (url.pathname.startsWith('/assets/') || url.pathname.startsWith('/emojibase/') || SHELL.includes(url.pathname)) event.respondWith(cacheFirst(request));
});

/**
 * Every page of the app is index.html: from the network while online (kept as the shell for later),
 * else the cached shell, which boots the app with its outbox; the offline page if even that is gone.
 */
async function page(request) {
  const cache = await caches.open(SHELL_CACHE);
  try {
    const fresh = await fetch(request);
    if (fresh.ok && (fresh.headers.get('content-type') ?? '').startsWith('text/html')) {
      const copy = fresh.clone();
      await cache.put('/', copy);
      // This version's assets too, while the network is here.
      void copy
        .clone()
        .text()
        .then((html) => cache.addAll(assetsOf(html)))
        .catch(() => {});
    }
    return fresh;
  } catch {
    return (await cache.match('/')) ?? (await cache.match(OFFLINE_URL)) ?? Response.error();
  }
}

/** Hashed assets never change under a name: the cache's copy is as good as the network's. */
async function cacheFirst(request) {
  const cache = await caches.open(SHELL_CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const fresh = await fetch(request);
  if (fresh.ok) await cache.put(request, fresh.clone());
  return fresh;
}

/** The app's address of a message, from checked parts only: a push can name nothing else. */
function messageUrl(roomId, messageId) {
  if (typeof roomId !== 'string' || !ROOM_ID.test(roomId)) return '/';
  return typeof messageId === 'string' && MESSAGE_ID.test(messageId) ? `/r/${roomId}?m=${messageId}` : `/r/${roomId}`;
}

// A push from the server (its payload: docs/decisions/148): always shown, as userVisibleOnly promises;
// the server already held it back while a device had the room in front of the user.
self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = {};
  }
  const title = typeof data.title === 'string' && data.title ? data.title.slice(0, 120) : 'Ember chat';
  const body = typeof data.body === 'string' ? data.body.slice(0, 200) : '';
  const roomId = typeof data.roomId === 'string' && ROOM_ID.test(data.roomId) ? data.roomId.toLowerCase() : null;
  const messageId = typeof data.messageId === 'string' && MESSAGE_ID.test(data.messageId) ? data.messageId : null;
  event.waitUntil(
    self.registration.showNotification(title, {
      body,
      // One notification per message: a retried push replaces its own.
      tag: messageId ? `message-${messageId}` : undefined,
      icon: '/icon-192.png',
      data: { roomId, messageId, url: messageUrl(roomId, messageId) },
    }),
  );
});

// The click opens the message in its place: an open tab of the app is focused and told which one, or
// a new window opens at the message's address (the app reads ?m= once it starts).
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const { roomId, messageId } = event.notification.data ?? {};
  const opening = openMessage(roomId, messageId);
  // Only a click the browser dispatched may extend the event (a synthetic one, as tests send, cannot).
  if (event.isTrusted) event.waitUntil(opening);
});

async function openMessage(roomId, messageId) {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const tab = windows.find((w) => new URL(w.url).origin === self.location.origin);
  if (tab && typeof roomId === 'string' && ROOM_ID.test(roomId)) {
    // Focusing needs the click's user activation; the tab opens the message either way.
    await tab.focus().catch(() => {});
    tab.postMessage({ type: 'open-message', roomId, messageId });
    return;
  }
  await self.clients.openWindow(messageUrl(roomId, messageId));
}
