import { describe, expect, it } from 'vitest';
import { browserTestsReady, messageTexts, openViewer, screenshots, sendMessage, signUp, type Viewer, useBrowserSuite } from './browser';


const PASSWORD = 'correct horse battery';
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

describe.runIf(browserTestsReady)('the chat in a real browser', () => {
  const suite = useBrowserSuite();
  let ada: Viewer;
  let grace: Viewer;

  const status = (v: Viewer) => v.page.locator('.connection-status');

  it('signs two people up, refusing a taken username next to its field', async () => {
    ada = await openViewer(suite.browser, suite.server.url, DESKTOP);
    await ada.page.getByRole('heading', { name: 'Ember' }).waitFor();
    await ada.page.screenshot({ path: `${screenshots}/login.png` });
    await signUp(ada.page, 'ada_lovelace', PASSWORD);
    await expect.poll(() => status(ada).getAttribute('data-status')).toBe('connected');

    grace = await openViewer(suite.browser, suite.server.url, PHONE);
    await signUp(grace.page, 'ada_lovelace', PASSWORD);
    await grace.page.getByText('The username "ada_lovelace" is taken; pick another one').waitFor();
    await grace.page.getByLabel('Username').fill('grace.hopper');
    await grace.page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => status(grace).getAttribute('data-status')).toBe('connected');
  }, 30_000);

  it('delivers messages both ways, own messages styled apart', async () => {
    await sendMessage(ada.page, 'Hello Grace! Did the compiler behave today?');
    await grace.page.locator('.message-other', { hasText: 'Did the compiler behave today?' }).waitFor();
    await sendMessage(grace.page, 'Mostly. Found a moth in relay 70, taped it in the log book');
    await ada.page.locator('.message-other', { hasText: 'Found a moth in relay 70' }).waitFor();
    await expect.poll(() => ada.page.locator('.message-own', { hasText: 'Hello Grace!' }).count()).toBe(1);
    // Confirmed by the echo: no pending copy left behind.
    await expect.poll(() => ada.page.locator('.message-sending').count()).toBe(0);
  }, 20_000);

  it('shows HTML in a message as text and runs none of it', async () => {
    const payload = '<img src=x onerror=alert(1)>';
    await sendMessage(grace.page, payload);
    const shown = ada.page.locator('.message-text', { hasText: payload });
    await shown.waitFor();
    expect(await shown.innerText()).toBe(payload);
    expect(await ada.page.locator('.message-items img').count()).toBe(0);
    await ada.page.waitForTimeout(300);
    expect(ada.dialogs).toEqual([]);
    expect(grace.dialogs).toEqual([]);
  }, 20_000);

  it('finds the other person by search and inserts a mention', async () => {
    const search = ada.page.getByRole('combobox', { name: 'Find people' });
    await search.fill('grace');
    const option = ada.page.getByRole('row', { name: /grace\.hopper/ });
    await option.waitFor();
    await search.press('Enter');
    const profile = ada.page.getByRole('region', { name: 'Profile of grace.hopper' });
    await profile.getByText(/^Joined/).waitFor();
    await profile.getByRole('button', { name: 'Mention @grace.hopper' }).click();
    const composer = ada.page.getByLabel('Message', { exact: true });
    await expect.poll(() => composer.inputValue()).toBe('@grace.hopper ');
    await expect.poll(() => composer.evaluate((el) => el === document.activeElement)).toBe(true);
    await ada.page.keyboard.type('the relay log is brilliant. See https://example.com/moth');
    await ada.page.keyboard.press('Enter');
    const mention = grace.page.locator('.message-other .mention-me', { hasText: '@grace.hopper' });
    await mention.waitFor();
    const link = grace.page.getByRole('link', { name: 'https://example.com/moth' });
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
  }, 20_000);

  it('goes to reconnecting when the server stops, then resumes without gaps or doubles', async () => {
    await suite.server.stop();
    await expect.poll(() => status(ada).getAttribute('data-status'), { timeout: 10_000 }).toMatch(/reconnecting|offline/);
    await expect.poll(() => status(ada).innerText()).toMatch(/Reconnecting/);
    await suite.server.start();
    // Grace's send goes over HTTP at once, while Ada's socket is still waiting for its next retry.
    await sendMessage(grace.page, 'Back online? This was sent while you were reconnecting.');
    await expect.poll(() => status(ada).getAttribute('data-status'), { timeout: 15_000 }).toBe('connected');
    await expect.poll(() => status(grace).getAttribute('data-status'), { timeout: 15_000 }).toBe('connected');
    await ada.page.locator('.message-text', { hasText: 'sent while you were reconnecting' }).waitFor();
    await sendMessage(ada.page, 'Yes, and nothing went missing.');
    await grace.page.locator('.message-text', { hasText: 'nothing went missing' }).waitFor();
    for (const v of [ada, grace]) {
      const texts = await messageTexts(v.page);
      expect(new Set(texts).size, `duplicates in ${texts.join(' | ')}`).toBe(texts.length);
    }
  }, 40_000);

  it('keeps the session across a reload', async () => {
    await ada.page.reload();
    await expect.poll(() => status(ada).getAttribute('data-status'), { timeout: 10_000 }).toBe('connected');
    await ada.page.locator('.message-text', { hasText: 'nothing went missing' }).waitFor();
    expect(await ada.page.getByText('ada_lovelace').first().isVisible()).toBe(true);
  }, 20_000);

  it('writes screenshots of the chat at desktop and phone widths', async () => {
    await ada.page.getByRole('combobox', { name: 'Find people' }).fill('grace');
    await ada.page.getByRole('row', { name: /grace\.hopper/ }).getByText('grace.hopper', { exact: true }).click();
    await ada.page.getByRole('region', { name: 'Profile of grace.hopper' }).waitFor();
    await ada.page.getByLabel('Message', { exact: true }).fill('');
    // Grace starts a reply: Ada sees her typing, and both of them in the online list.
    await grace.page.getByLabel('Message', { exact: true }).pressSequentially('Speaking of moths', { delay: 20 });
    await expect.poll(() => ada.page.getByTestId('typing-indicator').innerText(), { timeout: 5_000 }).toBe('grace.hopper is typing…');
    await expect.poll(() => ada.page.getByTestId('online-count').innerText()).toBe('2 online');
    await ada.page.screenshot({ path: `${screenshots}/chat-desktop.png` });
    await grace.page.screenshot({ path: `${screenshots}/chat-phone.png` });
    // On a phone the online list sits in the people sheet, opened from the top bar.
    await grace.page.getByRole('button', { name: /People/ }).click();
    await grace.page.getByRole('list', { name: 'People online' }).waitFor();
    await grace.page.screenshot({ path: `${screenshots}/chat-phone-people.png` });
    await grace.page.keyboard.press('Escape');
    expect([...ada.errors, ...grace.errors].filter((e) => !/WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource/.test(e))).toEqual([]);
  }, 20_000);
});
