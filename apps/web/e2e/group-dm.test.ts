import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserTestsReady, openViewer, screenshots, sendMessage, signUp, useBrowserSuite, type Viewer } from './browser';

// Issue 25's "Done when": a group DM of three. Ann starts it with Bob and Cy from "New message"; all
// three exchange messages and see them; Cy converts it into a private room (docs/decisions/153-group-dms.md).

const PASSWORD = 'correct horse battery';
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

const connected = (page: Page) => page.locator('[data-status=connected]').waitFor({ timeout: 15_000 });
const message = (page: Page, text: string) => page.locator('.message-items .message', { has: page.locator('.message-text', { hasText: text }) });
const section = (page: Page, id: 'direct' | 'private') => page.locator(`section[aria-labelledby="rooms-${id}"]`);

describe.runIf(browserTestsReady)('a group DM in a real browser', () => {
  const suite = useBrowserSuite();

  it('three users exchange messages in a group DM of three, then one converts it into a private room', async () => {
    const names = ['ann_group', 'bob_group', 'cy_group'] as const;
    const viewers: Viewer[] = [];
    for (const name of names) {
      const v = await openViewer(suite.browser, suite.server.url, DESKTOP);
      await signUp(v.page, name, PASSWORD);
      viewers.push(v);
    }
    const [a, b, c] = viewers as [Viewer, Viewer, Viewer];
    await Promise.all(viewers.map((v) => connected(v.page)));

    // Ann picks two people under New message.
    await a.page.getByRole('button', { name: 'New message' }).click();
    const dialog = a.page.getByRole('dialog', { name: 'New message' });
    for (const name of ['bob_group', 'cy_group']) {
      await dialog.getByLabel('Search people').fill(name);
      await dialog.getByRole('button', { name: `Add ${name}` }).click();
    }
    await dialog.getByRole('button', { name: 'Start group of 3' }).click();
    await a.page.locator('#room-title', { hasText: 'bob_group, cy_group' }).waitFor();
    await sendMessage(a.page, 'Hello both of you');

    // Bob and Cy find it with their direct messages, named by the other two.
    await section(b.page, 'direct').locator('a.room-link', { hasText: 'ann_group, cy_group' }).click();
    await section(c.page, 'direct').locator('a.room-link', { hasText: 'ann_group, bob_group' }).click();
    await message(b.page, 'Hello both of you').waitFor();
    await message(c.page, 'Hello both of you').waitFor();
    await sendMessage(b.page, 'Hi Ann, hi Cy');
    await sendMessage(c.page, 'Hey, all three of us here');
    for (const v of viewers) {
      for (const text of ['Hello both of you', 'Hi Ann, hi Cy', 'Hey, all three of us here']) await message(v.page, text).waitFor({ timeout: 10_000 });
    }
    await b.page.getByRole('button', { name: '3 members' }).click();
    await b.page.locator('#members-panel li', { hasText: 'cy_group' }).waitFor();
    await b.page.screenshot({ path: `${screenshots}/group-dm-desktop.png` });
    await b.page.getByRole('button', { name: '3 members' }).click();

    // On a phone, the same group.
    await b.page.setViewportSize(PHONE);
    await message(b.page, 'Hey, all three of us here').waitFor();
    await b.page.screenshot({ path: `${screenshots}/group-dm-phone.png` });
    await b.page.setViewportSize(DESKTOP);

    // Cy converts it: everyone sees the new name, under private rooms, with the history kept.
    await c.page.getByRole('button', { name: 'Convert to private room' }).click();
    const convert = c.page.getByRole('dialog', { name: 'Convert to a private room' });
    await convert.getByLabel('Room name').fill('launch-team');
    await convert.getByRole('button', { name: 'Convert' }).click();
    for (const v of viewers) {
      await v.page.locator('#room-title', { hasText: 'launch-team' }).waitFor({ timeout: 10_000 });
      await section(v.page, 'private').locator('a.room-link', { hasText: 'launch-team' }).waitFor();
      expect(await section(v.page, 'direct').locator('a.room-link', { hasText: 'launch-team' }).count()).toBe(0);
      await message(v.page, 'Hi Ann, hi Cy').waitFor();
    }
    // A private room now: its converter may edit it, and nobody sees "Convert" any more.
    await c.page.getByRole('button', { name: 'Edit', exact: true }).waitFor();
    expect(await a.page.getByRole('button', { name: 'Convert to private room' }).count()).toBe(0);
    await sendMessage(a.page, 'Welcome to launch-team');
    await message(c.page, 'Welcome to launch-team').waitFor({ timeout: 10_000 });
    await c.page.screenshot({ path: `${screenshots}/group-dm-converted.png` });

    for (const v of viewers) {
      expect(v.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
      expect(v.dialogs).toEqual([]);
    }
  }, 150_000);
});
