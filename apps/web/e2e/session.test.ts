import type { Page, Route, WebSocketRoute } from 'playwright-core';
import type { AppRouter } from '@chat/api';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserTestsReady, openViewer, signUp, type Viewer, useBrowserSuite } from './browser';


const PASSWORD = 'correct horse battery';
/** Short enough to watch a token expire within the test, long enough for the steps before. */
const TTL_SECONDS = 8;
const SESSION_KEY = 'chat.session.v1';

async function logIn(page: Page, username: string) {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).last().click();
  await page.locator('[data-status=connected]').waitFor();
}

describe.runIf(browserTestsReady)('the session in a real browser', () => {
  const suite = useBrowserSuite({ jwtTtlSeconds: TTL_SECONDS });
  let viewer: Viewer;

  beforeAll(async () => {
    viewer = await openViewer(suite.browser, suite.server.url, { width: 1024, height: 720 });
  });

  it('logs out: the token is gone and the socket closed', async () => {
    const sockets: { closed: boolean }[] = [];
    viewer.page.on('websocket', (ws) => {
      const entry = { closed: false };
      sockets.push(entry);
      ws.on('close', () => (entry.closed = true));
    });
    await signUp(viewer.page, 'katherine', PASSWORD);
    await viewer.page.locator('[data-status=connected]').waitFor();
    await viewer.page.getByRole('button', { name: 'katherine' }).click();
    await viewer.page.getByRole('menuitem', { name: 'Log out', exact: true }).click();
    await viewer.page.getByLabel('Username').waitFor();
    expect(await viewer.page.evaluate((key) => localStorage.getItem(key), SESSION_KEY)).toBeNull();
    expect(sockets.length).toBeGreaterThan(0);
    await expect.poll(() => sockets.every((s) => s.closed)).toBe(true);
  }, 20_000);

  it('returns to login with a message when the server refuses the stored token', async () => {
    await logIn(viewer.page, 'katherine');
    await viewer.page.evaluate((key) => {
      const session = JSON.parse(localStorage.getItem(key) ?? '{}') as { token: string };
      session.token = `${session.token.split('.').slice(0, 2).join('.')}.forged-signature`;
      localStorage.setItem(key, JSON.stringify(session));
    }, SESSION_KEY);
    await viewer.page.reload();
    await viewer.page.getByRole('alert').filter({ hasText: 'no longer accepts your session' }).waitFor({ timeout: 10_000 });
  }, 20_000);

  it('returns to login with a message when the token is revoked elsewhere (close code 4403)', async () => {
    await logIn(viewer.page, 'katherine');
    const token = await viewer.page.evaluate((key) => (JSON.parse(localStorage.getItem(key) ?? '{}') as { token: string }).token, SESSION_KEY);
    // Another client holding the same token logs out: the server closes this page's socket.
    const other = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${suite.server.url}/trpc`, headers: { authorization: `Bearer ${token}` } })] });
    await other.auth.logout.mutate();
    await viewer.page.getByRole('alert').filter({ hasText: 'You were logged out' }).waitFor({ timeout: 10_000 });
    expect(await viewer.page.evaluate((key) => localStorage.getItem(key), SESSION_KEY)).toBeNull();
  }, 20_000);

  it('says it was a logout even when an HTTP call (here the renewal) hears it before the socket', async () => {
    // The server's close of the socket never reaches the page: only the renewal can tell it.
    const swallowClose = (ws: WebSocketRoute) => ws.connectToServer().onClose(() => undefined);
    await viewer.page.routeWebSocket(/\/ws/, swallowClose);
    try {
      await logIn(viewer.page, 'katherine');
      const token = await viewer.page.evaluate((key) => (JSON.parse(localStorage.getItem(key) ?? '{}') as { token: string }).token, SESSION_KEY);
      await createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${suite.server.url}/trpc`, headers: { authorization: `Bearer ${token}` } })] }).auth.logout.mutate();
      await viewer.page.getByRole('alert').filter({ hasText: 'You were logged out' }).waitFor({ timeout: (TTL_SECONDS + 5) * 1000 });
    } finally {
      await viewer.page.unrouteAll();
    }
  }, 30_000);

  it('returns to login with a message when the token expires because it could not be renewed', async () => {
    // The server is unreachable for renewals only: the app retries until the token runs out, then gives up.
    let refused = 0;
    const refuse = (route: Route) => {
      refused++;
      return route.abort('connectionrefused');
    };
    await viewer.page.route(/auth\.refresh/, refuse);
    try {
      await logIn(viewer.page, 'katherine');
      await viewer.page.getByRole('alert').filter({ hasText: 'Your session expired' }).waitFor({ timeout: (TTL_SECONDS + 5) * 1000 });
      expect(await viewer.page.evaluate((key) => localStorage.getItem(key), SESSION_KEY)).toBeNull();
      // It did try, and more than once.
      expect(refused).toBeGreaterThan(1);
    } finally {
      await viewer.page.unroute(/auth\.refresh/, refuse);
    }
  }, 30_000);

  it('stays signed in past the token lifetime by renewing it', async () => {
    await logIn(viewer.page, 'katherine');
    const first = await viewer.page.evaluate((key) => localStorage.getItem(key), SESSION_KEY);
    await viewer.page.waitForTimeout((TTL_SECONDS + 3) * 1000);
    // Still in the chat; if not, the login screen's notice says why.
    expect(await viewer.page.getByRole('alert').allInnerTexts()).toEqual([]);
    expect(await viewer.page.getByLabel('Username').count()).toBe(0);
    await viewer.page.locator('[data-status=connected]').waitFor({ timeout: 5_000 });
    expect(await viewer.page.evaluate((key) => localStorage.getItem(key), SESSION_KEY)).not.toBe(first);
  }, 30_000);

  it('changes the password from the account menu (ending the other session), then logs out everywhere', async () => {
    const own = await openViewer(suite.browser, suite.server.url, { width: 1024, height: 720 });
    const api = (token?: string) =>
      createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${suite.server.url}/trpc`, headers: token ? { authorization: `Bearer ${token}` } : {} })] });
    try {
      await signUp(own.page, 'leopold', PASSWORD);
      await own.page.locator('[data-status=connected]').waitFor();
      const elsewhere = await api().auth.login.mutate({ username: 'leopold', password: PASSWORD });

      await own.page.getByRole('button', { name: 'leopold' }).click();
      await own.page.getByRole('menuitem', { name: 'Change password…' }).click();
      const dialog = own.page.getByRole('dialog', { name: 'Change password' });
      await dialog.getByLabel('Current password').fill('not my password');
      await dialog.getByLabel('New password', { exact: true }).fill('short');
      await dialog.getByRole('button', { name: 'Change password' }).click();
      // Checked before submitting, with the server's own schema.
      await dialog.getByText('at least 8 characters').waitFor();
      await dialog.getByLabel('New password', { exact: true }).fill('a brand new passphrase');
      await dialog.getByLabel('New password again').fill('a brand new passphrase');
      await dialog.getByRole('button', { name: 'Change password' }).click();
      await dialog.getByText('That is not your current password.').waitFor();
      await dialog.getByLabel('Current password').fill(PASSWORD);
      await dialog.getByRole('button', { name: 'Change password' }).click();
      await dialog.getByRole('status').filter({ hasText: '1 other session was logged out' }).waitFor();
      await expect(api(elsewhere.token).auth.me.query()).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
      await dialog.getByRole('button', { name: 'Done' }).click();
      await own.page.locator('[data-status=connected]').waitFor();

      await own.page.getByRole('button', { name: 'leopold' }).click();
      await own.page.getByRole('menuitem', { name: 'Log out everywhere' }).click();
      await own.page.getByRole('alert').filter({ hasText: 'logged out on every device' }).waitFor();
      expect(await own.page.evaluate((key) => localStorage.getItem(key), SESSION_KEY)).toBeNull();
      expect(own.errors.filter((e) => !e.includes('401') && !e.includes('403'))).toEqual([]);
    } finally {
      // Bounded: this context's close once hung after every assertion had passed (full CI run only).
      await Promise.race([own.context.close(), new Promise((resolve) => setTimeout(resolve, 5_000))]);
    }
  }, 60_000);
});
