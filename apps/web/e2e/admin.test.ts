import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startTestServer, type TestServer } from '@chat/server/testing';
import type { AppRouter } from '@chat/api';
import { createTRPCClient, httpLink } from '@trpc/client';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hasChromium, launchChromium, openViewer, signUp, type Viewer } from './browser';

const webDist = fileURLToPath(new URL('../dist', import.meta.url));
const screenshots = fileURLToPath(new URL('../screenshots', import.meta.url));
// chat.test.ts explains (and, under CI, fails on) a missing build or browser.
const ready = existsSync(`${webDist}/index.html`) && hasChromium();
const PASSWORD = 'correct horse battery';

// Issue 16: the admin screen, shown only to admins and owners, drives the admin.* procedures.
describe.runIf(ready)('the admin screen in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let owner: Viewer;
  let member: Viewer;
  let mallory: { token: string; user: { id: string } };

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), webDistDir: webDist }), launchChromium()]);
    const anonymous = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${server.url}/trpc` })] });
    mallory = await anonymous.auth.signup.mutate({ username: 'mallory', password: PASSWORD });
    [owner, member] = await Promise.all([openViewer(browser, server.url, { width: 1100, height: 800 }), openViewer(browser, server.url, { width: 1100, height: 800 })]);
    await signUp(owner.page, 'olivia', PASSWORD);
    await signUp(member.page, 'martin', PASSWORD);
    await Promise.all([owner.page.locator('[data-status=connected]').waitFor(), member.page.locator('[data-status=connected]').waitFor()]);
    // What `pnpm user:role olivia owner` does (its own test spawns it); then the page asks again.
    await server.orm.em.fork().execute(`update users set role = 'owner' where username = 'olivia'`);
    await owner.page.reload();
    await owner.page.locator('[data-status=connected]').waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('is offered to owners only', async () => {
    await member.page.getByRole('button', { name: 'martin' }).click();
    await member.page.getByRole('menuitem', { name: 'Log out', exact: true }).waitFor();
    expect(await member.page.getByRole('menuitem', { name: 'Administration…' }).count()).toBe(0);
    await owner.page.getByRole('button', { name: 'olivia' }).click();
    await owner.page.getByRole('menuitem', { name: 'Administration…' }).click();
    await owner.page.getByRole('dialog', { name: 'Administration' }).waitFor();
  }, 20_000);

  it('bans a user with a reason, which ends their session', async () => {
    const page = owner.page;
    await page.getByLabel('Find a user').fill('mall');
    const row = page.getByRole('list', { name: 'Users' }).getByRole('listitem').filter({ hasText: 'mallory' });
    await row.getByRole('button', { name: 'Ban…' }).click();
    await row.getByLabel('Why ban mallory?', { exact: false }).fill('spam links');
    await row.getByRole('button', { name: 'Ban mallory' }).click();
    await row.getByText('banned: spam links').waitFor();
    const asMallory = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${server.url}/trpc`, headers: { authorization: `Bearer ${mallory.token}` } })] });
    await expect(asMallory.auth.me.query()).rejects.toThrow(/banned \(spam links\)/);
  }, 20_000);

  it('switches registration to invite only and makes an invite link that signs a newcomer up', async () => {
    const page = owner.page;
    await page.getByRole('tab', { name: 'Registration' }).click();
    await page.getByRole('radio', { name: /Invite only/ }).click();
    await expect.poll(() => server.orm.em.fork().execute(`select value from server_settings where key = 'registration_mode'`)).toEqual([{ value: 'invite' }]);
    await page.getByRole('button', { name: 'Create invite' }).click();
    const link = await page.locator('.admin-created code').innerText();
    expect(link).toMatch(new RegExp(`^${server.url}/\\?invite=[A-Za-z0-9_-]{16}$`));

    const newcomer = await openViewer(browser, link, { width: 900, height: 700 });
    await newcomer.page.getByText('You are signing up with an invite.').waitFor({ timeout: 5_000 });
    await newcomer.page.getByLabel('Username').fill('nadia');
    await newcomer.page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await newcomer.page.getByLabel('Password', { exact: true }).press('Enter');
    await newcomer.page.locator('[data-status=connected]').waitFor({ timeout: 10_000 });
    await newcomer.context.close();
    // Shown again, the list is read again.
    await page.getByRole('tab', { name: 'Users' }).click();
    await page.getByRole('tab', { name: 'Registration' }).click();
    await page.getByRole('list', { name: 'Invites' }).getByText('Used by nadia').waitFor({ timeout: 5_000 });
  }, 30_000);

  it('shows the audit log, newest first, and writes the screenshot', async () => {
    const page = owner.page;
    await page.getByRole('tab', { name: 'Audit log' }).click();
    const entries = page.getByRole('list', { name: 'Audit log' }).getByRole('listitem');
    await entries.first().waitFor();
    expect(await entries.allInnerTexts()).toEqual([
      expect.stringContaining('olivia created an invite for 1 sign-up'),
      expect.stringContaining('olivia set registration to invite (was open)'),
      expect.stringMatching(/olivia banned mallory[\s\S]*“spam links”/),
    ]);
    await page.getByRole('tab', { name: 'Users' }).click();
    await page.getByRole('list', { name: 'Users' }).getByText('mallory', { exact: true }).waitFor();
    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: `${screenshots}/admin.png` });
    expect(owner.errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  }, 20_000);
});
