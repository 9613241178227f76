import { mkdirSync } from 'node:fs';
import { generateVapidKeys, isPublicAddress, type PushPayload } from '@chat/api';
import { browserPushKeys, type FakePushService, startFakePushService, startTestServer, type TestServer } from '@chat/server/testing';
import type { Browser, BrowserContext, Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { browserTestsReady, launchChromium, openViewer, screenshots, sendMessage, signUp, type Viewer, webDist } from './browser';

// Web Push and the offline shell in Chromium (docs/decisions/148-web-push.md). The server posts to a
// local push service (127.0.0.2); the test decrypts what arrived with the keys it subscribed with, and,
// since headless Chromium reaches no real push service, hands the decrypted message to the service
// worker through the DevTools protocol (ServiceWorker.deliverPushMessage), as the browser's push
// service connection would. The notification's click is dispatched inside the worker.

const PASSWORD = 'correct horse battery';

/** The worker's global scope, as far as these tests reach into it (the DOM lib has no WebWorker types). */
type WorkerScope = { registration: ServiceWorkerRegistration; dispatchEvent(event: Event): boolean };
declare const NotificationEvent: new (type: string, init: { notification: Notification }) => Event;
const DESKTOP = { width: 1280, height: 800 };

describe.runIf(browserTestsReady)('web push in a real browser', () => {
  let push: FakePushService;
  let server: TestServer;
  let browser: Browser;
  const vapid = generateVapidKeys();

  /** Whether the app has kept the account's room list for an offline start (its IndexedDB snapshot). */
  const roomsKept = (page: Page) =>
    page.evaluate(async () => {
      const name = (await indexedDB.databases()).find((d) => d.name?.startsWith('chat-offline-'))?.name;
      if (!name) return false;
      return new Promise<boolean>((resolve) => {
        const open = indexedDB.open(name);
        open.onerror = () => resolve(false);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('snapshot')) return resolve((db.close(), false));
          const count = db.transaction('snapshot').objectStore('snapshot').count('rooms');
          count.onsuccess = () => resolve((db.close(), count.result === 1));
          count.onerror = () => resolve((db.close(), false));
        };
      });
    });

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    push = await startFakePushService('127.0.0.2');
    const network = {
      resolve: async (host: string) => (host === 'push.test' ? [push.host] : Promise.reject(new Error('ENOTFOUND'))),
      allowAddress: (address: string) => address === push.host || isPublicAddress(address),
      allowUrl: (url: URL) => url.protocol === 'http:' || url.protocol === 'https:',
    };
    [server, browser] = await Promise.all([
      startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), webDistDir: webDist, webPush: { vapid, subject: 'mailto:ops@chat.test', network } }),
      launchChromium(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
    await push?.close();
  });

  /** One tRPC call over HTTP, as any client makes it. */
  async function call<T>(token: string, path: string, input?: unknown, query = false): Promise<T> {
    const url = `${server.url}/trpc/${path}${query ? `?input=${encodeURIComponent(JSON.stringify(input ?? null))}` : ''}`;
    const res = await fetch(url, {
      method: query ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(query ? {} : { body: JSON.stringify(input ?? null) }),
    });
    const body = (await res.json()) as { result?: { data: T }; error?: unknown };
    if (!body.result) throw new Error(`${path}: ${JSON.stringify(body.error)}`);
    return body.result.data;
  }
  const signUpApi = async (username: string) => {
    const res = await fetch(`${server.url}/trpc/auth.signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
    return ((await res.json()) as { result: { data: { token: string; user: { id: string; username: string } } } }).result.data;
  };
  const sessionOf = (page: Page) => page.evaluate(() => JSON.parse(localStorage.getItem('chat.session.v1') ?? 'null') as { token: string; user: { id: string } });
  const serviceWorker = async (context: BrowserContext): Promise<Worker> => context.serviceWorkers()[0] ?? context.waitForEvent('serviceworker');
  const notificationsOf = (sw: Worker) =>
    sw.evaluate(async () => (await (self as unknown as WorkerScope).registration.getNotifications()).map((n: Notification) => ({ title: n.title, body: n.body, data: n.data as unknown })));

  /** Bob in Chromium with notifications allowed and the service worker controlling the page; his push subscription at the local service. */
  async function bobWithPush(username: string) {
    const bob = await openViewer(browser, server.url, DESKTOP);
    await bob.context.grantPermissions(['notifications'], { origin: server.url });
    await signUp(bob.page, username, PASSWORD);
    await bob.page.getByLabel('Message', { exact: true }).waitFor();
    await bob.page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    const session = await sessionOf(bob.page);
    const keys = browserPushKeys();
    const path = `/push/${username}`;
    // What PushManager.subscribe() would hand the app, and the app to push.subscribe (useWebPush).
    await call(session.token, 'push.subscribe', { endpoint: `http://push.test:${push.port}${path}`, keys: keys.keys });
    return { bob, session, keys, path };
  }

  /** What the push service got for `path`, decrypted with the subscription's keys. */
  const pushesTo = (path: string, keys: ReturnType<typeof browserPushKeys>) =>
    push.received.filter((d) => d.path === path && d.status < 300).map((d) => JSON.parse(keys.decrypt(d.body)) as PushPayload);

  /** The browser's side of a push: the decrypted message handed to the service worker. */
  async function deliver(context: BrowserContext, payload: PushPayload): Promise<void> {
    const page = context.pages()[0] ?? (await context.newPage());
    const cdp = await context.newCDPSession(page);
    const registration = new Promise<string>((resolve) =>
      cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
        const live = registrations.find((r) => !r.isDeleted && r.scopeURL.startsWith(server.url));
        if (live) resolve(live.registrationId);
      }),
    );
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.deliverPushMessage', { origin: server.url, registrationId: await registration, data: JSON.stringify(payload) });
    await cdp.detach();
  }

  it('a DM to a closed tab arrives through the local push service, shows a notification, and its click opens the message in its place', { timeout: 90_000 }, async () => {
    const { bob, session, keys, path } = await bobWithPush('bob_push');
    const sw = await serviceWorker(bob.context);
    // The tab is closed; the browser (and its service worker) stays.
    await bob.page.close();
    await bob.context.newPage();

    const alice = await signUpApi('alice_push');
    const dm = await call<{ id: string }>(alice.token, 'room.openDirect', { userId: session.user.id });
    await call(alice.token, 'chat.send', { roomId: dm.id, text: 'filler before' });
    const sent = await call<{ id: string }>(alice.token, 'chat.send', { roomId: dm.id, text: 'are you there? the build is green' });
    await server.deps.webPush!.settled();
    const payloads = pushesTo(path, keys);
    expect(payloads.at(-1)).toEqual({ v: 1, roomId: dm.id, messageId: sent.id, reason: 'dm', title: 'alice_push', body: 'are you there? the build is green' });

    const shown = { title: 'alice_push', body: 'are you there? the build is green', data: { roomId: dm.id, messageId: sent.id, url: `/r/${dm.id}?m=${sent.id}` } };
    // With the tab closed the worker may have been stopped, and on a loaded CI machine starting it again and running
    // its push handler once took longer than 10 s; once (fresh-clone CI, 2026-12-07) a push was never handled in 30 s.
    // A push service delivers again what the browser did not take, so the test does too: up to 3 deliveries, 15 s each.
    for (let delivery = 1; ; delivery++) {
      await deliver(bob.context, payloads.at(-1)!);
      try {
        await expect.poll(() => notificationsOf(sw), { timeout: 15_000 }).toContainEqual(shown);
        break;
      } catch (error) {
        if (delivery === 3) throw error;
      }
    }

    // No tab of the app open: the click opens a window at the message's address; the app opens the room there.
    const opened = await bob.context.newPage();
    await opened.goto(`${server.url}/r/${dm.id}?m=${sent.id}`);
    const highlighted = opened.locator('.message[data-highlighted]', { hasText: 'the build is green' });
    await highlighted.waitFor({ timeout: 15_000 });
    expect(new URL(opened.url()).pathname).toBe(`/r/${dm.id}`);
    await opened.screenshot({ path: `${screenshots}/push-opened-message.png` });

    // A tab of the app open elsewhere (#everyone): the click, inside the worker, brings it to the message.
    await opened.goto(server.url);
    await opened.getByLabel('Message', { exact: true }).waitFor();
    await expect.poll(() => opened.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await sw.evaluate(async () => {
      const scope = self as unknown as WorkerScope;
      const [notification] = await scope.registration.getNotifications();
      scope.dispatchEvent(new NotificationEvent('notificationclick', { notification: notification! }));
    });
    await expect.poll(() => new URL(opened.url()).pathname, { timeout: 10_000 }).toBe(`/r/${dm.id}`);
    await opened.locator('.message[data-highlighted]', { hasText: 'the build is green' }).waitFor({ timeout: 10_000 });
    // The click closed it.
    expect(await notificationsOf(sw)).toEqual([]);
    await bob.context.close();
  });

  it('per-room settings chosen in the app silence what they should: a muted DM, a channel at "Nothing", and let a mention through by default', { timeout: 90_000 }, async () => {
    const { bob, session, keys, path } = await bobWithPush('bob_settings');
    const alice = await signUpApi('alice_settings');
    const dm = await call<{ id: string }>(alice.token, 'room.openDirect', { userId: session.user.id });
    const channel = await call<{ id: string; name: string }>(alice.token, 'room.create', { name: `push-${Date.now().toString(36)}`, kind: 'channel' });
    await call(session.token, 'room.join', { roomId: channel.id });

    const setIn = async (roomId: string, choose: (page: Page) => Promise<void>) => {
      await bob.page.goto(`${server.url}/r/${roomId}`);
      await bob.page.getByRole('button', { name: 'Notifications', exact: true }).click();
      const dialog = bob.page.getByRole('dialog', { name: 'Notifications' });
      await choose(bob.page);
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'detached' });
    };
    await setIn(dm.id, async (page) => {
      await page.getByLabel('Mute this room').selectOption({ label: 'For 8 hours' });
    });
    await setIn(channel.id, async (page) => {
      await page.getByRole('radio', { name: 'Nothing' }).check();
      await page.screenshot({ path: `${screenshots}/push-room-settings.png` });
    });
    expect(await call<{ rooms: { roomId: string; level: string; mutedUntil: string | null }[] }>(session.token, 'notifications.get', undefined, true)).toMatchObject({
      rooms: expect.arrayContaining([
        { roomId: dm.id, level: 'mentions', mutedUntil: expect.any(String) },
        { roomId: channel.id, level: 'nothing', mutedUntil: null },
      ]),
    });
    // Not looking at either room: the tab goes to #everyone (its focus report names that room).
    await bob.page.goto(server.url);
    await bob.page.getByLabel('Message', { exact: true }).waitFor();

    await call(alice.token, 'chat.send', { roomId: dm.id, text: 'muted dm' });
    await call(alice.token, 'chat.send', { roomId: channel.id, text: `@bob_settings silenced channel` });
    await server.deps.webPush!.settled();
    expect(pushesTo(path, keys)).toEqual([]);

    // Back to the default in the channel: a mention gets through, a plain message does not.
    await bob.page.goto(`${server.url}/r/${channel.id}`);
    await setIn(channel.id, async (page) => {
      await page.getByRole('radio', { name: /Mentions and direct messages/ }).check();
    });
    await bob.page.goto(server.url);
    await bob.page.getByLabel('Message', { exact: true }).waitFor();
    await call(alice.token, 'chat.send', { roomId: channel.id, text: 'plain, no push' });
    const mention = await call<{ id: string }>(alice.token, 'chat.send', { roomId: channel.id, text: '@bob_settings you are needed' });
    await server.deps.webPush!.settled();
    expect(pushesTo(path, keys).map((p) => [p.messageId, p.reason])).toEqual([[mention.id, 'mention']]);

    // Looking at the channel in a focused tab: nothing pushed for it.
    await bob.page.goto(`${server.url}/r/${channel.id}`);
    await bob.page.getByLabel('Message', { exact: true }).waitFor();
    await bob.page.bringToFront();
    await expect.poll(() => bob.page.evaluate(() => document.hasFocus())).toBe(true);
    // The focus report goes out as the room opens.
    await new Promise((r) => setTimeout(r, 500));
    await call(alice.token, 'chat.send', { roomId: channel.id, text: '@bob_settings you see this one' });
    await server.deps.webPush!.settled();
    expect(pushesTo(path, keys)).toHaveLength(1);
    await bob.context.close();
  });

  it('names its cache after the build, and a new worker deletes the caches of the builds before it', async () => {
    // The build wrote its name into the worker, the compressed copies too (node's fetch asks for gzip).
    const served = await (await fetch(`${server.url}/sw.js`)).text();
    const build = /const BUILD = '([0-9a-f]{16})'/.exec(served)?.[1];
    expect(build).toBeDefined();
    // A page of the origin that registers no worker: an older build's cache is left there, as its worker would have.
    const viewer = await openViewer(browser, `${server.url}/offline.html`, DESKTOP);
    await viewer.page.evaluate(async () => {
      const old = await caches.open('ember-shell-v1');
      await old.put('/assets/index-0ld0ld0l.js', new Response('an old build'));
    });
    expect(await viewer.page.evaluate(() => caches.keys())).toEqual(['ember-shell-v1']);
    await viewer.page.goto(server.url);
    await viewer.page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await expect.poll(() => viewer.page.evaluate(() => caches.keys()), { timeout: 10_000 }).toEqual([`ember-shell-${build}`]);
    await viewer.context.close();
  });

  it('installs an offline shell: offline, a reload starts the app and its outbox sends what was typed once back; the offline page when even the shell is gone', { timeout: 90_000 }, async () => {
    const viewer: Viewer = await openViewer(browser, server.url, DESKTOP);
    await signUp(viewer.page, 'carol_offline', PASSWORD);
    const box = viewer.page.getByLabel('Message', { exact: true });
    await box.waitFor();
    await viewer.page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    // Controlled from here on (the worker claims the open tab as it activates).
    await expect.poll(() => viewer.page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 10_000 }).toBe(true);
    await viewer.page.reload();
    await box.waitFor();
    // The worker keeps the build's other chunks after activating, without holding the page up (decision 164).
    const chunkKept = () => viewer.page.evaluate(async () => (await Promise.all((await caches.keys()).map(async (name) => (await caches.open(name)).keys()))).flat().some((r) => r.url.includes('/ShortcutsDialog-')));
    await expect.poll(chunkKept, { timeout: 20_000 }).toBe(true);

    // The network goes (a train, a tunnel): a message typed now waits in the outbox.
    await viewer.context.setOffline(true);
    await sendMessage(viewer.page, 'typed on the train');
    await expect.poll(() => viewer.page.locator('.message-queued, .message-sending', { hasText: 'typed on the train' }).count(), { timeout: 10_000 }).toBe(1);

    // A reload while offline: the cached shell starts the app (not the browser's error page), with the outbox in
    // IndexedDB, and the rooms and the open room's last page as this browser kept them, read-only, saying so.
    await expect.poll(() => roomsKept(viewer.page), { timeout: 10_000 }).toBe(true);
    await viewer.page.reload();
    await expect.poll(() => viewer.page.locator('.connection-status').getAttribute('data-status'), { timeout: 15_000 }).toBe('offline');
    await viewer.page.getByRole('status').filter({ hasText: 'Offline — messages will be sent when the connection is back' }).waitFor({ timeout: 15_000 });
    await viewer.page.locator('#room-sidebar').getByText('everyone').first().waitFor();
    await viewer.page.locator('.message-queued', { hasText: 'typed on the train' }).waitFor();
    expect(await viewer.page.getByText('Loading rooms…').count()).toBe(0);
    // A dialog never opened online still opens: the worker kept every chunk of the build (docs/decisions/164).
    await viewer.page.getByRole('complementary', { name: 'People' }).getByRole('button', { name: /All shortcuts/ }).click();
    const shortcuts = viewer.page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await shortcuts.waitFor({ timeout: 10_000 });
    await viewer.page.keyboard.press('Escape');
    await shortcuts.waitFor({ state: 'hidden' });
    // Started offline, the room still takes a message: it joins the outbox behind the first one.
    await sendMessage(viewer.page, 'typed after the offline start');
    await viewer.page.locator('.message-queued', { hasText: 'typed after the offline start' }).waitFor({ timeout: 10_000 });
    await viewer.page.screenshot({ path: `${screenshots}/offline-shell.png` });

    // Back online: the outbox sends both, once each, in the order typed.
    await viewer.context.setOffline(false);
    const stored = async () =>
      (await server.orm.em.fork().execute<{ text: string }[]>(`select text from messages where text in ('typed on the train', 'typed after the offline start') order by id`)).map((r) => r.text);
    await expect.poll(stored, { timeout: 30_000 }).toEqual(['typed on the train', 'typed after the offline start']);
    await viewer.page.locator('.message-text', { hasText: 'typed after the offline start' }).waitFor({ timeout: 15_000 });
    expect(await stored()).toEqual(['typed on the train', 'typed after the offline start']);

    // Without the shell in the cache, an offline load shows our offline page, not the browser's error.
    await viewer.page.evaluate(async () => {
      for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        await cache.delete('/');
      }
    });
    await viewer.context.setOffline(true);
    // Under load the worker may still be starting when the first offline navigation comes (the browser's own
    // error page then): the page is asked again, as a user would reload, until ours shows or 30 s pass.
    const offlinePage = viewer.page.getByRole('heading', { name: 'You are offline' });
    await expect
      .poll(
        async () => {
          await viewer.page.goto(`${server.url}/r/00000000-0000-4000-8000-000000000001`).catch(() => undefined);
          return offlinePage.waitFor({ timeout: 5_000 }).then(
            () => true,
            () => false,
          );
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe(true);
    await viewer.page.screenshot({ path: `${screenshots}/offline-page.png` });
    await viewer.context.setOffline(false);
    expect(viewer.dialogs).toEqual([]);
    await viewer.context.close();
  });
});
