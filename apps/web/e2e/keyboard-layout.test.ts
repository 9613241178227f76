import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AppRouter } from '@chat/api';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserTestsReady, openViewer, screenshots, signUp, type Viewer, useBrowserSuite } from './browser';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const PASSWORD = 'correct horse battery';
const MESSAGES = 50;
const LINK_MESSAGE = 'https://example.com/guide has the docs';

const scroller = (page: Page) => page.locator('.message-scroller');
const composer = (page: Page) => page.getByLabel('Message', { exact: true });
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return { tag: el?.tagName.toLowerCase() ?? '', label: el?.getAttribute('aria-label') ?? '', text: (el?.textContent ?? '').slice(0, 80), inList: !!el?.closest('.message-items') };
  });
const messageWith = (page: Page, text: string) => page.locator('article.message').filter({ has: page.locator('.message-text').getByText(text, { exact: true }) });
const isComposer = (page: Page) => composer(page).evaluate((el) => el === document.activeElement);
/** The focused message's text, or null when focus is not on a message. */
const focusedMessage = (page: Page) => page.evaluate(() => (document.activeElement?.matches('article.message') ? (document.activeElement.querySelector('.message-text')?.textContent ?? '') : null));

async function axeViolations(page: Page) {
  // The app's CSP refuses inline scripts; evaluating the source goes through the debugger instead.
  await page.evaluate(readFileSync(axePath, 'utf8'));
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe;
    const result = await axe.run(document);
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
  });
}

describe.runIf(browserTestsReady)('layout and keyboard in a real browser', () => {
  const suite = useBrowserSuite();
  let viewer: Viewer;

  beforeAll(async () => {
    viewer = await openViewer(suite.browser, suite.server.url, { width: 1280, height: 800 });
    await signUp(viewer.page, 'kay', PASSWORD);
    await viewer.page.locator('[data-status=connected]').waitFor();
    // Kay's own short messages (narrower than their action toolbar) and Lin's, 50 in all, over plain HTTP.
    const client = (token?: string) => createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${suite.server.url}/trpc`, headers: token ? { authorization: `Bearer ${token}` } : {} })] });
    const kay = client((await client().auth.login.mutate({ username: 'kay', password: PASSWORD })).token);
    const lin = client((await client().auth.signup.mutate({ username: 'lin', password: PASSWORD })).token);
    for (let i = 1; i <= MESSAGES - 2; i++) await (i % 3 === 0 ? kay : lin).chat.send.mutate({ text: i % 3 === 0 ? `ok ${i}` : `message ${i} from lin` });
    // The link opens a message that continues Kay's run: no name line above it for a toolbar to sit on.
    await kay.chat.send.mutate({ text: 'one more thing' });
    await kay.chat.send.mutate({ text: LINK_MESSAGE });
    await viewer.page.reload();
    await viewer.page.locator('.message-text', { hasText: LINK_MESSAGE }).waitFor();
  }, 90_000);

  it('never scrolls the message list sideways, at any width, even with an action focused', async () => {
    const page = viewer.page;
    for (const width of [320, 390, 768, 1280, 1920]) {
      await page.setViewportSize({ width, height: 800 });
      await messageWith(page, 'ok 3').waitFor();
      const overflow = () => scroller(page).evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth, scrollLeft: el.scrollLeft }));
      // Polled: the phone layout follows a resize a render later (matchMedia), and this page jumps from 1280 to 320 at once.
      await expect.poll(async () => { const o = await overflow(); return o.scrollWidth - o.clientWidth + o.scrollLeft; }, { message: `at ${width}px` }).toBe(0);
      // Every action of a short message of one's own, and of someone else's, focused in turn.
      for (const text of ['ok 3', 'message 4 from lin']) {
        const actions = messageWith(page, text).locator('.message-actions button');
        for (let i = 0; i < (await actions.count()); i++) {
          await actions.nth(i).evaluate((el) => (el as HTMLElement).focus());
          const o = await overflow();
          expect(o, `at ${width}px, action ${i} of "${text}" focused`).toEqual({ scrollWidth: o.clientWidth, clientWidth: o.clientWidth, scrollLeft: 0 });
        }
      }
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 60_000);

  it('lets a pointer reach the actions it shows on hover, at desktop and phone widths', async () => {
    const page = viewer.page;
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      for (const text of ['one more thing', 'message 47 from lin']) {
        const target = messageWith(page, text);
        await target.hover();
        await target.getByRole('toolbar', { name: 'Message actions' }).getByRole('button', { name: 'Reply' }).click({ timeout: 5_000 });
        await page.locator('.composer-reply', { hasText: 'Replying to' }).waitFor();
        await page.getByRole('button', { name: 'Cancel reply' }).click();
      }
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 40_000);

  it("keeps one's own message's toolbar off the link in it", async () => {
    const page = viewer.page;
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      const message = messageWith(page, LINK_MESSAGE);
      await message.locator('.message-actions button').first().evaluate((el) => (el as HTMLElement).focus());
      const bar = await message.locator('.message-actions').boundingBox();
      const link = await message.getByRole('link').boundingBox();
      if (!bar || !link) throw new Error('toolbar or link not on screen');
      const overlaps = bar.x < link.x + link.width && link.x < bar.x + bar.width && bar.y < link.y + link.height && link.y < bar.y + bar.height;
      expect(overlaps, `at ${width}px: toolbar ${JSON.stringify(bar)}, link ${JSON.stringify(link)}`).toBe(false);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('reaches the composer in a handful of key presses from page load, with 50 messages in the room', async () => {
    const page = viewer.page;
    await page.reload();
    await page.locator('.message-text', { hasText: LINK_MESSAGE }).waitFor();
    // Opening the room focuses the composer: no key at all.
    await expect.poll(() => isComposer(page)).toBe(true);
    // From the top of the page (a click on its background), the first Tab is the skip link and Enter follows it.
    await page.mouse.click(2, 2);
    expect(await isComposer(page)).toBe(false);
    let presses = 0;
    while (!(await isComposer(page)) && presses < 5) {
      const f = await focused(page);
      await page.keyboard.press(f.text === 'Skip to composer' ? 'Enter' : 'Tab');
      presses++;
    }
    expect(await isComposer(page), `focus after ${presses} presses: ${JSON.stringify(await focused(page))}`).toBe(true);
    expect(presses).toBeLessThanOrEqual(2);
  });

  it('makes the message list one tab stop; arrows, Home, End and the page keys move between messages', async () => {
    const page = viewer.page;
    await composer(page).focus();
    await page.keyboard.press('Shift+Tab');
    expect(await focusedMessage(page)).toBe(LINK_MESSAGE);
    await page.keyboard.press('Shift+Tab');
    expect((await focused(page)).inList, 'a second Shift+Tab leaves the list').toBe(false);
    await page.keyboard.press('Tab');
    expect(await focusedMessage(page)).toBe(LINK_MESSAGE);
    await page.keyboard.press('ArrowUp');
    expect(await focusedMessage(page)).toBe('one more thing');
    await page.keyboard.press('ArrowUp');
    expect(await focusedMessage(page)).toBe(`ok ${MESSAGES - 2}`);
    await page.keyboard.press('ArrowDown');
    expect(await focusedMessage(page)).toBe('one more thing');
    await page.keyboard.press('Home');
    const first = await page.locator('.message-items article.message .message-text').first().innerText();
    expect(await focusedMessage(page)).toBe(first);
    await page.keyboard.press('PageDown');
    const paged = await focusedMessage(page);
    expect(paged).not.toBe(first);
    expect(paged).not.toBe(await page.locator('.message-items article.message .message-text').nth(1).innerText());
    await page.keyboard.press('End');
    expect(await focusedMessage(page)).toBe(LINK_MESSAGE);
    // The list remembers the message last focused: Tab out and back lands on it.
    await page.keyboard.press('ArrowUp');
    expect(await focusedMessage(page)).toBe('one more thing');
    await composer(page).focus();
    await page.keyboard.press('Shift+Tab');
    expect(await focusedMessage(page)).toBe('one more thing');
  });

  it("reaches a focused message's actions by Enter, arrows along them, Escape back; R replies, E edits one's own", async () => {
    const page = viewer.page;
    await composer(page).focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    expect((await focused(page)).label).toBe('Add a reaction');
    await page.keyboard.press('ArrowRight');
    expect((await focused(page)).label).toBe('Reply');
    await page.keyboard.press('Escape');
    expect(await focusedMessage(page)).toBe(LINK_MESSAGE);
    await page.keyboard.press('r');
    await page.locator('.composer-reply', { hasText: 'Replying to yourself' }).waitFor();
    expect(await isComposer(page)).toBe(true);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('e');
    const editor = page.locator('.message-editor textarea');
    await editor.waitFor();
    expect(await editor.inputValue()).toBe(LINK_MESSAGE);
    await page.keyboard.press('Escape');
    await editor.waitFor({ state: 'detached' });
  });

  it('opens the keyboard shortcut list with ? and Ctrl+/, and closes it with Escape', async () => {
    const page = viewer.page;
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await composer(page).focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('?');
    await dialog.waitFor();
    expect(await dialog.getByText('Move between messages').count()).toBe(1);
    await page.screenshot({ path: `${screenshots}/keyboard-shortcuts.png` });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await focusedMessage(page), 'focus goes back where it was').not.toBeNull();
    // In the composer "?" is text; Ctrl+/ still opens the list.
    await composer(page).focus();
    // Only once the composer holds focus: a key pressed in the same instant as the dialog's close
    // was lost in Chromium now and then (the close's focus return still under way).
    await expect.poll(() => composer(page).evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Control+/');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await composer(page).inputValue()).toBe('');
  }, 60_000);

  it('passes axe on the signed-in page, desktop and phone', async () => {
    const page = viewer.page;
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.locator('.message-own', { hasText: LINK_MESSAGE }).hover();
    await page.screenshot({ path: `${screenshots}/keyboard-desktop.png` });
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 30_000);

  it('lays a phone out as a phone: one top bar row of at most 56 px, the connection as an announced icon, no keyboard tips', async () => {
    const phone = await openViewer(suite.browser, suite.server.url, { width: 390, height: 844 });
    const token = await viewer.page.evaluate(() => Object.entries(localStorage));
    await phone.page.evaluate((entries) => entries.forEach(([k, v]) => localStorage.setItem(k, v)), token);
    await phone.page.reload();
    await phone.page.locator('.message-text', { hasText: LINK_MESSAGE }).waitFor();
    const bar = await phone.page.locator('.topbar').boundingBox();
    expect(bar?.height).toBeLessThanOrEqual(56);
    expect(await phone.page.locator('.topbar').getByText('everyone').isVisible(), 'the room name is in the top bar').toBe(true);
    const status = phone.page.locator('.connection-status');
    expect((await status.boundingBox())?.width).toBeLessThanOrEqual(44);
    expect(await phone.page.getByRole('status').filter({ hasText: 'Chat connected' }).count()).toBe(1);
    await phone.page.getByRole('button', { name: /^People/ }).click();
    await phone.page.locator('.people-panel.open').waitFor();
    expect(await phone.page.locator('.people-panel kbd').filter({ visible: true }).count()).toBe(0);
    await phone.page.keyboard.press('Escape');
    await phone.page.screenshot({ path: `${screenshots}/keyboard-phone.png` });
    await phone.context.close();
  }, 60_000);

  it('does not focus the composer on a touch screen, where that would pop the keyboard up', async () => {
    const context = await suite.browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
    const page = await context.newPage();
    await page.goto(suite.server.url);
    const storage = await viewer.page.evaluate(() => Object.entries(localStorage));
    await page.evaluate((entries) => entries.forEach(([k, v]) => localStorage.setItem(k, v)), storage);
    await page.reload();
    await page.locator('.message-text', { hasText: LINK_MESSAGE }).waitFor();
    await page.waitForTimeout(300);
    expect(await isComposer(page)).toBe(false);
    await context.close();
  }, 60_000);
});
