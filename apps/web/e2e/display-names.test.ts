import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserTestsReady, openSettings, openViewer, screenshots, sendMessage, signUp, startConversation, useBrowserSuite, type Viewer } from './browser';

// Display names where people are named (issue 25, docs/decisions/155-profiles.md): Bob renames himself
// and Ann's open page shows the new name in the DM's sidebar title, the room's heading and the typing
// line, without a reload (user.updated on the DM's peer, folded in @chat/client/core).

const PASSWORD = 'correct horse battery';
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

const connected = (page: Page) => page.locator('[data-status=connected]').waitFor({ timeout: 15_000 });
const directs = (page: Page) => page.locator('section[aria-labelledby="rooms-direct"] a.room-link');

describe.runIf(browserTestsReady)('display names in a real browser', () => {
  const suite = useBrowserSuite();

  it('a DM peer who renames themself shows by the new name in the sidebar, the heading and the typing line, without a reload', async () => {
    const viewers: Viewer[] = [];
    for (const name of ['ann_names', 'bob_names', 'cy_names']) {
      const v = await openViewer(suite.browser, suite.server.url, DESKTOP);
      await signUp(v.page, name, PASSWORD);
      viewers.push(v);
    }
    const [ann, bob, cy] = viewers as [Viewer, Viewer, Viewer];
    await Promise.all(viewers.map((v) => connected(v.page)));

    await startConversation(ann.page, ['bob_names']);
    await ann.page.locator('#room-title', { hasText: 'bob_names' }).waitFor();
    await sendMessage(ann.page, 'Hi Bob');
    await directs(bob.page).filter({ hasText: 'ann_names' }).click();
    await bob.page.locator('.message-text', { hasText: 'Hi Bob' }).waitFor();
    // A group of three too, which Ann leaves open on the DM.
    await startConversation(cy.page, ['ann_names', 'bob_names']);
    await directs(ann.page).filter({ hasText: 'bob_names, cy_names' }).waitFor({ timeout: 10_000 });
    await directs(ann.page).filter({ hasText: 'bob_names' }).filter({ hasNotText: 'cy_names' }).click();

    const dialog = await openSettings(bob.page);
    await dialog.getByLabel('Display name').fill('Robert Names');
    await dialog.getByRole('button', { name: 'Save profile' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Profile saved.' }).waitFor();
    await bob.page.keyboard.press('Escape');

    // Ann's page, not reloaded: the DM's title, the group's, and the heading with the unique name beside it.
    await directs(ann.page).filter({ hasText: 'Robert Names' }).first().waitFor({ timeout: 10_000 });
    await expect.poll(() => directs(ann.page).allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('Robert Names, cy_names')]));
    await ann.page.locator('#room-title', { hasText: 'Robert Names' }).waitFor();
    expect(await ann.page.locator('#room-title .room-title-handles').innerText()).toBe('@bob_names');

    // Bob types in the DM: Ann reads his display name.
    await bob.page.getByLabel('Message', { exact: true }).pressSequentially('Speaking of names', { delay: 20 });
    await expect.poll(() => ann.page.getByTestId('typing-indicator').innerText(), { timeout: 10_000 }).toBe('Robert Names is typing…');
    await ann.page.screenshot({ path: `${screenshots}/display-names-desktop.png` });

    // The group DM's header on a phone: the actions on one line that scrolls, not three.
    await directs(cy.page).filter({ hasText: 'ann_names, Robert Names' }).click();
    await cy.page.setViewportSize(PHONE);
    await cy.page.locator('.room-header-actions').waitFor();
    const actions = await cy.page.locator('.room-header-actions').boundingBox();
    const button = await cy.page.locator('.room-header-actions button').first().boundingBox();
    expect(actions!.height).toBeLessThan(button!.height * 1.5);
    await cy.page.screenshot({ path: `${screenshots}/group-dm-header-phone.png` });

    for (const v of viewers) await v.context.close();
  }, 240_000);
});
