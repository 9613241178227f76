import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserTestsReady, messageTexts, openViewer, sendMessage, signUp, type Viewer, useBrowserSuite } from './browser';

const PASSWORD = 'correct horse battery';
const DESKTOP = { width: 1280, height: 800 };

// Two tabs of one account (two pages of one browser context: one IndexedDB, one localStorage)
// share the account's outbox: one delivers, the other shows the shared queue and takes over when
// the first closes (docs/decisions/139).
describe.runIf(browserTestsReady)('the outbox across tabs of one account', () => {
  const suite = useBrowserSuite();
  let first: Viewer;
  let second: Page;

  const status = (page: Page) => page.locator('.connection-status').getAttribute('data-status');
  const queued = (page: Page) => page.locator('.message-queued, .message-sending').count();
  const stored = () =>
    suite.server.orm.em
      .fork()
      .execute<{ text: string }[]>(`select m.text from messages m join users u on u.id = m.author_id where u.username = 'ada_tabs' and m.text like 'tab %' order by m.id`)
      .then((rows) => rows.map((r) => r.text));
  const fromTab = (texts: string[], tab: 'a' | 'b') => texts.filter((t) => t.startsWith(`tab ${tab} `));
  const tail = async (page: Page) => (await messageTexts(page)).filter((t) => t.startsWith('tab '));
  const offline = async (...pages: Page[]) => {
    await suite.server.stop();
    for (const page of pages) await expect.poll(() => status(page), { timeout: 10_000 }).toMatch(/reconnecting|offline/);
  };

  it('delivers what both tabs typed offline once each, in each tab’s order, and both tabs show the whole queue meanwhile', async () => {
    first = await openViewer(suite.browser, suite.server.url, DESKTOP);
    await signUp(first.page, 'ada_tabs', PASSWORD);
    await expect.poll(() => status(first.page), { timeout: 10_000 }).toBe('connected');
    await first.page.getByLabel('Message', { exact: true }).waitFor();
    second = await first.context.newPage();
    await second.goto(suite.server.url);
    await expect.poll(() => status(second), { timeout: 10_000 }).toBe('connected');
    await second.getByLabel('Message', { exact: true }).waitFor();
    // Both rooms read (history loaded and live), before the server goes away.
    await sendMessage(first.page, 'hello from the first tab');
    for (const page of [first.page, second]) await page.locator('.message-text', { hasText: 'hello from the first tab' }).waitFor({ timeout: 10_000 });

    await offline(first.page, second);
    await sendMessage(first.page, 'tab a 1');
    await sendMessage(second, 'tab b 1');
    await sendMessage(first.page, 'tab a 2');
    await sendMessage(second, 'tab b 2');
    // Each tab shows the other's items too, as pending: one queue, not two.
    for (const page of [first.page, second]) await expect.poll(() => queued(page), { timeout: 10_000 }).toBe(4);

    await suite.server.start();
    await expect.poll(stored, { timeout: 30_000 }).toHaveLength(4);
    const texts = await stored();
    expect(fromTab(texts, 'a')).toEqual(['tab a 1', 'tab a 2']);
    expect(fromTab(texts, 'b')).toEqual(['tab b 1', 'tab b 2']);
    for (const page of [first.page, second]) {
      await expect.poll(() => queued(page), { timeout: 10_000 }).toBe(0);
      await expect.poll(() => tail(page), { timeout: 10_000 }).toEqual(texts);
    }
  }, 120_000);

  it('hands delivery to the remaining tab when the delivering one closes with items still queued', async () => {
    await offline(first.page, second);
    await sendMessage(first.page, 'tab a 3');
    await sendMessage(first.page, 'tab a 4');
    await sendMessage(second, 'tab b 3');
    for (const page of [first.page, second]) await expect.poll(() => queued(page), { timeout: 10_000 }).toBe(3);
    // The first tab opened holds the lock: it is the one that delivered so far.
    await first.page.close();

    await suite.server.start();
    await expect.poll(stored, { timeout: 30_000 }).toHaveLength(7);
    const texts = await stored();
    expect(fromTab(texts, 'a')).toEqual(['tab a 1', 'tab a 2', 'tab a 3', 'tab a 4']);
    expect(fromTab(texts, 'b')).toEqual(['tab b 1', 'tab b 2', 'tab b 3']);
    await expect.poll(() => queued(second), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => tail(second), { timeout: 10_000 }).toEqual(texts);
    // Nothing more goes out later (a second copy of the queue would resend after its backoff).
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await stored()).toEqual(texts);
    expect(first.dialogs).toEqual([]);
  }, 120_000);
});
