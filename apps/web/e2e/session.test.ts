import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startTestServer, type TestServer } from '@chat/server/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hasChromium, launchChromium, openViewer, signUp, type Viewer } from './browser';

const webDist = fileURLToPath(new URL('../dist', import.meta.url));
// chat.test.ts explains (and, under CI, fails on) a missing build or browser.
const ready = existsSync(`${webDist}/index.html`) && hasChromium();

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

describe.runIf(ready)('the session in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let viewer: Viewer;

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), webDistDir: webDist, jwtTtlSeconds: TTL_SECONDS }),
      launchChromium(),
    ]);
    viewer = await openViewer(browser, server.url, { width: 1024, height: 720 });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
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
    await viewer.page.getByRole('button', { name: 'Log out' }).click();
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

  it('returns to login with a message when the token expires', async () => {
    await logIn(viewer.page, 'katherine');
    await viewer.page.getByRole('alert').filter({ hasText: 'Your session expired' }).waitFor({ timeout: (TTL_SECONDS + 5) * 1000 });
    expect(await viewer.page.evaluate((key) => localStorage.getItem(key), SESSION_KEY)).toBeNull();
  }, 30_000);
});
