import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserTestsReady, openSettings, openViewer, screenshots, sendMessage, signUp, type Viewer, useBrowserSuite } from './browser';

// The settings screen in a real browser (issue 25, docs/decisions/155-profiles.md, 156-sessions-and-devices.md):
// a display name and a status another member sees live, the light theme kept across a reload with no contrast
// violation, and a session signed out from another device.

const PASSWORD = 'correct horse battery';
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

async function contrastViolations(page: Page) {
  // The app's CSP refuses inline scripts; evaluating the source goes through the debugger instead.
  await page.evaluate(readFileSync(axePath, 'utf8'));
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, options: unknown): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: ['color-contrast'] });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
  });
}

const theme = (page: Page) => page.evaluate(() => document.documentElement.dataset.theme);

describe.runIf(browserTestsReady)('settings in a real browser', () => {
  const suite = useBrowserSuite();
  let ada: Viewer;
  let grace: Viewer;

  beforeAll(async () => {
    ada = await openViewer(suite.browser, suite.server.url, DESKTOP);
    await signUp(ada.page, 'ada_set', PASSWORD);
    grace = await openViewer(suite.browser, suite.server.url, DESKTOP);
    await signUp(grace.page, 'grace_set', PASSWORD);
    for (const v of [ada, grace]) await v.page.locator('[data-status=connected]').waitFor();
  });

  it('a display name and a status set in Settings show on the other member’s page at once', async () => {
    await sendMessage(ada.page, 'notes on the engine');
    await grace.page.getByText('notes on the engine', { exact: true }).waitFor();

    const dialog = await openSettings(ada.page);
    await dialog.getByLabel('Display name').fill('Ada Lovelace');
    await dialog.getByLabel('Status', { exact: true }).fill('Writing notes');
    await dialog.getByRole('button', { name: 'Pick a status emoji' }).click();
    await dialog.getByRole('button', { name: 'React with 🎉' }).click();
    await dialog.getByLabel('Clear after').selectOption('1h');
    await dialog.getByLabel('Time zone').selectOption('Asia/Tokyo');
    await dialog.getByRole('button', { name: 'Save profile' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Profile saved.' }).waitFor();
    await ada.page.screenshot({ path: `${screenshots}/settings-glass-desktop.png` });

    // Grace's open page: the author's name changes without a reload (user.updated).
    await expect.poll(() => grace.page.locator('.message-author').allInnerTexts(), { timeout: 10_000 }).toContain('Ada Lovelace');
    const author = grace.page.locator('.message-author', { hasText: 'Ada Lovelace' }).first();
    expect(await author.getAttribute('title')).toBe('@ada_set');
    // Her card: the display name, the unique name, the status and her local time.
    const search = grace.page.getByRole('combobox', { name: 'Find people' });
    await search.fill('ada_set');
    await grace.page.getByRole('row', { name: /Ada Lovelace/ }).waitFor();
    await search.press('Enter');
    const card = grace.page.getByRole('region', { name: 'Profile of ada_set' });
    await card.getByText('Ada Lovelace').waitFor();
    await card.getByText('@ada_set', { exact: true }).waitFor();
    await card.getByText('Writing notes').waitFor();
    await card.getByText('local time').waitFor();
    await grace.page.screenshot({ path: `${screenshots}/profile-card-status.png` });
    await dialog.getByRole('button', { name: 'Close settings' }).click();
  }, 60_000);

  it('the light theme stays after a reload and passes axe’s contrast check; every theme at desktop and phone size', async () => {
    const dialog = await openSettings(ada.page);
    await dialog.getByLabel(/^Light/).check();
    expect(await theme(ada.page)).toBe('light');
    await ada.page.screenshot({ path: `${screenshots}/settings-light-desktop.png` });
    await ada.page.reload();
    await ada.page.locator('[data-status=connected]').waitFor();
    expect(await theme(ada.page)).toBe('light');
    expect(await contrastViolations(ada.page)).toEqual([]);
    await ada.page.screenshot({ path: `${screenshots}/theme-light-desktop.png` });
    const settings = await openSettings(ada.page);
    expect(await contrastViolations(ada.page)).toEqual([]);
    await settings.getByLabel(/^Dark/).check();
    await settings.getByRole('button', { name: 'Close settings' }).click();
    expect(await theme(ada.page)).toBe('dark');
    await ada.page.screenshot({ path: `${screenshots}/theme-dark-desktop.png` });

    const phone = await openViewer(suite.browser, suite.server.url, PHONE);
    try {
      await phone.page.getByRole('button', { name: 'Log in' }).last().waitFor();
      await phone.page.getByLabel('Username').fill('ada_set');
      await phone.page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await phone.page.getByRole('button', { name: 'Log in' }).last().click();
      await phone.page.locator('[data-status=connected]').waitFor();
      for (const choice of ['Glass', 'Dark', 'Light'] as const) {
        const sheet = await openSettings(phone.page);
        await sheet.getByLabel(new RegExp(`^${choice}`)).check();
        await phone.page.screenshot({ path: `${screenshots}/settings-${choice.toLowerCase()}-phone.png` });
        await sheet.getByRole('button', { name: 'Close settings' }).click();
        await phone.page.screenshot({ path: `${screenshots}/theme-${choice.toLowerCase()}-phone.png` });
      }
      expect(await contrastViolations(phone.page)).toEqual([]);
    } finally {
      await phone.context.close();
    }
  }, 90_000);

  it('signing out another session from Settings signs that tab out', async () => {
    const other = await openViewer(suite.browser, suite.server.url, DESKTOP);
    try {
      await other.page.getByLabel('Username').fill('grace_set');
      await other.page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await other.page.getByRole('button', { name: 'Log in' }).last().click();
      await other.page.locator('[data-status=connected]').waitFor();

      const dialog = await openSettings(grace.page);
      const rows = dialog.locator('.session-row');
      await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(2);
      await dialog.locator('.session-row').filter({ hasText: 'this device' }).waitFor();
      await grace.page.screenshot({ path: `${screenshots}/settings-sessions.png` });
      await dialog.locator('.session-row').filter({ hasNotText: 'this device' }).getByRole('button', { name: /Sign out/ }).click();
      await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1);
      // The other tab is back at the login screen; this one goes on.
      await other.page.getByRole('button', { name: 'Log in' }).last().waitFor({ timeout: 15_000 });
      await grace.page.locator('[data-status=connected]').waitFor();
    } finally {
      await other.context.close();
    }
  }, 60_000);
});
