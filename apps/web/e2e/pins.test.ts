import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserTestsReady, openViewer, screenshots, sendMessage, signUp, startConversation, useBrowserSuite } from './browser';

// Issue 25's "Done when": a pinned message. Ada pins a message of her DM with Grace; Grace sees it in
// the Pinned list live and jumps to it in the history (docs/decisions/154-pinned-messages.md).

const PASSWORD = 'correct horse battery';
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const PINNED = 'Pin me: the release checklist lives in the wiki';

const connected = (page: Page) => page.locator('[data-status=connected]').waitFor({ timeout: 15_000 });
const message = (page: Page, text: string) => page.locator('.message-items .message', { has: page.locator('.message-text', { hasText: text }) });
const pinnedPanel = (page: Page) => page.getByRole('region', { name: /^Pinned in / });

describe.runIf(browserTestsReady)('pinned messages in a real browser', () => {
  // Ada types twenty messages in a few seconds: each starts a typing notice (10 per 10 s by default).
  const suite = useBrowserSuite({ rateLimits: { typingPerUser: { points: 10_000, duration: 10 } } });

  it('Ada pins a message; Grace sees it in the Pinned list live and jumps to it', async () => {
    const ada = await openViewer(suite.browser, suite.server.url, DESKTOP);
    await signUp(ada.page, 'ada_pins', PASSWORD);
    const grace = await openViewer(suite.browser, suite.server.url, DESKTOP);
    await signUp(grace.page, 'grace_pins', PASSWORD);
    await Promise.all([connected(ada.page), connected(grace.page)]);

    await startConversation(ada.page, ['grace_pins']);
    await ada.page.locator('#room-title', { hasText: 'grace_pins' }).waitFor();
    await sendMessage(ada.page, PINNED);
    await message(ada.page, PINNED).waitFor();
    // Enough after it that it scrolls out of sight.
    for (let i = 1; i <= 18; i++) await sendMessage(ada.page, `filler message ${i}`);
    await message(ada.page, 'filler message 18').waitFor();

    // Grace opens the DM and its (empty) Pinned list.
    await grace.page.locator('a.room-link', { hasText: 'ada_pins' }).click();
    await message(grace.page, 'filler message 18').waitFor();
    await grace.page.getByRole('button', { name: /^Pinned/ }).click();
    await pinnedPanel(grace.page).getByText('Nothing pinned yet', { exact: false }).waitFor();

    // Ada pins it from the message's actions.
    const mine = message(ada.page, PINNED);
    await mine.scrollIntoViewIfNeeded();
    await mine.hover();
    await mine.getByRole('toolbar', { name: 'Message actions' }).getByRole('button', { name: 'Pin message' }).click();
    await mine.locator('.message-pinned-mark').waitFor();

    // Grace's list shows it without a reload, and the header counts it.
    const item = pinnedPanel(grace.page).locator('.threads-item', { hasText: 'release checklist' });
    await item.waitFor({ timeout: 10_000 });
    expect(await item.innerText()).toContain('Pinned by ada_pins');
    await grace.page.getByRole('button', { name: 'Pinned (1)' }).waitFor();

    // A click shows it in its place: highlighted, in view.
    await item.click();
    const target = message(grace.page, PINNED);
    await target.locator('xpath=self::*[@data-highlighted]').waitFor({ timeout: 10_000 });
    await expect.poll(() => target.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    })).toBe(true);
    expect(await target.locator('.message-pinned-mark').count()).toBe(1);
    await grace.page.screenshot({ path: `${screenshots}/pins-desktop.png` });

    // Ada unpins; Grace's list empties live.
    await mine.hover();
    await mine.getByRole('toolbar', { name: 'Message actions' }).getByRole('button', { name: 'Unpin message' }).click();
    await pinnedPanel(grace.page).getByText('Nothing pinned yet', { exact: false }).waitFor({ timeout: 10_000 });
    await mine.hover();
    await mine.getByRole('toolbar', { name: 'Message actions' }).getByRole('button', { name: 'Pin message' }).click();
    await item.waitFor({ timeout: 10_000 });

    // On a phone the list is a sheet; a pick closes it and shows the message.
    await grace.page.setViewportSize(PHONE);
    await grace.page.reload();
    await connected(grace.page);
    await message(grace.page, 'filler message 18').waitFor();
    await grace.page.getByRole('button', { name: /^Pinned/ }).click();
    const phoneItem = pinnedPanel(grace.page).locator('.threads-item', { hasText: 'release checklist' });
    await phoneItem.waitFor();
    await grace.page.screenshot({ path: `${screenshots}/pins-phone.png` });
    await phoneItem.click();
    await pinnedPanel(grace.page).waitFor({ state: 'detached' });
    await message(grace.page, PINNED).locator('xpath=self::*[@data-highlighted]').waitFor({ timeout: 10_000 });

    expect(ada.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
    expect(grace.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
    expect([...ada.dialogs, ...grace.dialogs]).toEqual([]);
  }, 120_000);
});
