import { makePng } from '@chat/server/testing';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserTestsReady, openViewer, screenshots, sendMessage, signUp, useBrowserSuite, type Viewer } from './browser';

// Avatars in a real browser (docs/decisions/143-avatars.md): pick a picture in the account menu, see its crop,
// save it; the other member's open page shows it on the author's messages and in the member list at once;
// removing it brings the initials back.

const PASSWORD = 'correct horse battery';
const DESKTOP = { width: 1280, height: 800 };

const loaded = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((imgs: HTMLImageElement[]) => imgs.length > 0 && imgs.every((img) => img.complete && img.naturalWidth > 0));

describe.runIf(browserTestsReady)('avatars in a real browser', () => {
  const suite = useBrowserSuite({ files: {} });
  let ada: Viewer;
  let grace: Viewer;

  it('a picture set in the account menu shows on her messages and in the members list on the other page, and goes again', async () => {
    ada = await openViewer(suite.browser, suite.server.url, DESKTOP);
    await signUp(ada.page, 'ada_face', PASSWORD);
    grace = await openViewer(suite.browser, suite.server.url, DESKTOP);
    await signUp(grace.page, 'grace_face', PASSWORD);
    for (const v of [ada, grace]) await v.page.getByLabel('Message', { exact: true }).waitFor();
    await sendMessage(ada.page, 'hello with initials');
    await grace.page.getByText('hello with initials', { exact: true }).waitFor();

    await ada.page.getByRole('button', { name: /ada_face/ }).click();
    await ada.page.getByRole('menuitem', { name: 'Profile picture…' }).click();
    const dialog = ada.page.locator('dialog.avatar-dialog');
    await dialog.locator('input[type=file]').setInputFiles([{ name: 'me.png', mimeType: 'image/png', buffer: makePng(400, 200) }]);
    await expect.poll(() => loaded(ada.page, 'dialog.avatar-dialog img.avatar-preview'), { timeout: 5_000 }).toBe(true);
    await ada.page.screenshot({ path: `${screenshots}/avatar-editor.png` });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => dialog.count(), { timeout: 15_000 }).toBe(0);
    // Her own chip, and on Grace's page: the author of her message (pushed by user.updated, no reload).
    await expect.poll(() => loaded(ada.page, '.account-chip img.avatar-img'), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => loaded(grace.page, '.message-items img.avatar-img'), { timeout: 10_000 }).toBe(true);
    await grace.page.getByRole('button', { name: /2 members/ }).click();
    await expect.poll(() => loaded(grace.page, '.members-list img.avatar-img'), { timeout: 10_000 }).toBe(true);
    await grace.page.screenshot({ path: `${screenshots}/avatar-shown.png` });

    await ada.page.getByRole('button', { name: /ada_face/ }).click();
    await ada.page.getByRole('menuitem', { name: 'Profile picture…' }).click();
    await ada.page.locator('dialog.avatar-dialog').getByRole('button', { name: 'Remove picture' }).click();
    await expect.poll(() => grace.page.locator('.message-items img.avatar-img').count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => ada.page.locator('.account-chip img.avatar-img').count(), { timeout: 10_000 }).toBe(0);
    expect(ada.dialogs.concat(grace.dialogs)).toEqual([]);
  }, 90_000);
});
