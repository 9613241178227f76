import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserTestsReady, messageTexts, openViewer, sendMessage, signUp, type Viewer, useBrowserSuite } from './browser';


const PASSWORD = 'correct horse battery';
/**
 * Every token lives 8 s: the whole file runs while the app renews tokens and sockets move to the renewed one.
 * The app renews a quarter of the lifetime before its local expiry (a second before `exp`) and signs out at
 * that expiry if no renewal came; at 4 s that left auth.refresh 1 s, and on a loaded CI machine one answered
 * 1.25 s after it was due and Grace was signed out mid-file. 8 s leaves 2 s.
 */
const TTL_SECONDS = 8;
const SESSION_KEY = 'chat.session.v1';
const DESKTOP = { width: 1280, height: 800 };

const onlineCount = (page: Page) => page.getByTestId('online-count').innerText();
const onlineNames = (page: Page) => page.getByRole('list', { name: 'People online' }).locator('.online-name').allInnerTexts();
const typingLine = (page: Page) => page.getByTestId('typing-indicator').innerText();
const storedToken = (page: Page) => page.evaluate((key) => (JSON.parse(localStorage.getItem(key) ?? '{}') as { token?: string }).token ?? null, SESSION_KEY);

describe.runIf(browserTestsReady)('presence, typing and token renewal in a real browser', () => {
  const suite = useBrowserSuite({ jwtTtlSeconds: TTL_SECONDS });
  let ada: Viewer;
  let grace: Viewer;
  const sockets = { ada: 0 };

  beforeAll(async () => {
    ada = await openViewer(suite.browser, suite.server.url, DESKTOP);
    ada.page.on('websocket', () => void sockets.ada++);
    await signUp(ada.page, 'ada', PASSWORD);
    await ada.page.locator('[data-status=connected]').waitFor();
    grace = await openViewer(suite.browser, suite.server.url, DESKTOP);
    await signUp(grace.page, 'grace', PASSWORD);
    await grace.page.locator('[data-status=connected]').waitFor();
  }, 30_000);

  it('lists both people as online, with the count, on both sides', async () => {
    for (const v of [ada, grace]) {
      await expect.poll(() => onlineCount(v.page), { timeout: 10_000 }).toBe('2 online');
      expect((await onlineNames(v.page)).sort()).toEqual(['ada', 'grace']);
    }
    // The signed-in user comes first, marked as such.
    expect((await onlineNames(ada.page))[0]).toBe('ada');
    await ada.page.getByRole('list', { name: 'People online' }).getByText('you').waitFor();
  }, 20_000);

  it('marks online people in search results', async () => {
    await ada.page.getByRole('combobox', { name: 'Find people' }).fill('grace');
    const option = ada.page.getByRole('row', { name: /grace/ });
    await option.waitFor();
    expect(await option.locator('.avatar-online').count()).toBe(1);
    expect(await option.innerText()).toContain('online');
    await ada.page.getByRole('combobox', { name: 'Find people' }).fill('');
  }, 20_000);

  it('shows "grace is typing…" to Ada and never to Grace herself, and clears it when she stops', async () => {
    const box = grace.page.getByLabel('Message', { exact: true });
    await box.click();
    await grace.page.keyboard.type('Working on the compiler', { delay: 30 });
    await expect.poll(() => typingLine(ada.page), { timeout: 5_000 }).toBe('grace is typing…');
    expect(await typingLine(grace.page)).toBe('');
    expect(await grace.page.getByTestId('typing-indicator').getAttribute('aria-live')).toBe('polite');
    // Clearing the composer says "stopped" at once.
    await box.fill('');
    await box.press('Backspace');
    await expect.poll(() => typingLine(ada.page), { timeout: 5_000 }).toBe('');
    // Both type: each sees only the other.
    await grace.page.getByLabel('Message', { exact: true }).pressSequentially('again', { delay: 30 });
    await ada.page.getByLabel('Message', { exact: true }).pressSequentially('me too', { delay: 30 });
    await expect.poll(() => typingLine(ada.page), { timeout: 5_000 }).toBe('grace is typing…');
    await expect.poll(() => typingLine(grace.page), { timeout: 5_000 }).toBe('ada is typing…');
    // Sending ends it for the other side.
    await grace.page.getByLabel('Message', { exact: true }).press('Enter');
    await expect.poll(() => typingLine(ada.page), { timeout: 5_000 }).toBe('');
    await ada.page.getByLabel('Message', { exact: true }).fill('');
  }, 30_000);

  it('shows "grace is typing…" on a page Ada opens while Grace is already typing', async () => {
    // Grace's start is said once and her renewals are silent: a stream that starts later (this page's,
    // or one resubscribed after a socket moves to a renewed token, every few seconds here) is told by
    // the server when it starts.
    const box = grace.page.getByLabel('Message', { exact: true });
    await box.click();
    const typing = box.pressSequentially('Still on the compiler, one key at a time, slowly', { delay: 150 });
    await expect.poll(() => typingLine(ada.page), { timeout: 5_000 }).toBe('grace is typing…');
    const later = await ada.context.newPage();
    await later.goto(suite.server.url);
    await later.locator('[data-status=connected]').waitFor();
    await expect.poll(() => typingLine(later), { timeout: 3_000 }).toBe('grace is typing…');
    await typing;
    await box.fill('');
    await box.press('Backspace');
    await expect.poll(() => typingLine(later), { timeout: 5_000 }).toBe('');
    await later.close();
  }, 30_000);

  it('keeps chatting across several token lifetimes without a login and without losing a message', async () => {
    const firstToken = await storedToken(ada.page);
    const socketsBefore = sockets.ada;
    const sent: string[] = [];
    // Grace sends for three token lifetimes while both sockets move to renewed tokens.
    for (let i = 0; i < 3 * TTL_SECONDS; i++) {
      const text = `steady ${i}`;
      sent.push(text);
      await sendMessage(grace.page, text);
      await grace.page.waitForTimeout(1_000);
    }
    await sendMessage(ada.page, 'Ada after three lifetimes');
    await grace.page.locator('.message-other', { hasText: 'Ada after three lifetimes' }).waitFor({ timeout: 10_000 });
    await sendMessage(grace.page, 'Grace after three lifetimes');
    await ada.page.locator('.message-other', { hasText: 'Grace after three lifetimes' }).waitFor({ timeout: 10_000 });

    for (const v of [ada, grace]) {
      await expect.poll(() => v.page.locator('.message-sending, .message-failed').count()).toBe(0);
      const texts = await messageTexts(v.page);
      expect(texts.filter((t) => t.startsWith('steady '))).toEqual(sent);
      expect(new Set(texts).size, `duplicates in ${texts.join(' | ')}`).toBe(texts.length);
      expect(await v.page.getByLabel('Username').count()).toBe(0);
    }
    // The app renewed its token and the socket reconnected with it.
    expect(await storedToken(ada.page)).not.toBe(firstToken);
    expect(sockets.ada).toBeGreaterThan(socketsBefore);
    await expect.poll(() => onlineCount(ada.page), { timeout: 10_000 }).toBe('2 online');
  }, 90_000);

  it('drops the count when the other person closes their page', async () => {
    await grace.page.close();
    await expect.poll(() => onlineCount(ada.page), { timeout: 10_000 }).toBe('1 online');
    expect(await onlineNames(ada.page)).toEqual(['ada']);
    const unexpected = ada.errors.filter((e) => !/WebSocket|Failed to load resource/.test(e));
    expect(unexpected).toEqual([]);
  }, 20_000);
});
