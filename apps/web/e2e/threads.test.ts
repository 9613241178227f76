import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserTestsReady, loseAnswers, openViewer, screenshots, sendMessage, signUp, useBrowserSuite, type Viewer } from './browser';

// Issue 25's "Done when": a thread conversation between two users, with counts and unread on both sides; inside
// the thread the room's own message list and actions (picker, quote, edit, report, moderator remove, keyboard);
// and a reply written while the server is down, delivered once by the outbox.

const PASSWORD = 'correct horse battery';
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

const connected = (page: Page) => page.locator('[data-status=connected]').waitFor({ timeout: 15_000 });
const text = (page: Page, t: string | RegExp) => page.locator('.message-text', { hasText: t });
/** A message of the room's own list (the thread beside it has a list too). */
const message = (page: Page, t: string | RegExp) => page.locator('main .message-items .message', { has: text(page, t) });
const threadPanel = (page: Page) => page.getByRole('complementary', { name: 'Thread' });
/** A message of the open thread once the server has it (a pending one has no id yet). */
const inThread = (page: Page, t: string | RegExp) => threadPanel(page).locator('li[data-message-id] .message', { has: text(page, t) });
const threadsButton = (page: Page) => page.locator('.threads-toggle');

async function act(target: Locator, name: string) {
  await target.hover();
  await target.getByRole('toolbar', { name: 'Message actions' }).getByRole('button', { name }).click();
}

async function replyInThread(page: Page, t: string, alsoToRoom = false) {
  const panel = threadPanel(page);
  if (alsoToRoom) await panel.getByLabel('Also send to the room').check();
  const box = panel.getByLabel('Reply in thread');
  await box.fill(t);
  await box.press('Enter');
  await inThread(page, t).waitFor();
}

describe.runIf(browserTestsReady)('threads in a real browser', () => {
  const suite = useBrowserSuite();
  let ada: Viewer;
  let grace: Viewer;

  beforeAll(async () => {
    ada = await openViewer(suite.browser, suite.server.url, DESKTOP);
    await signUp(ada.page, 'ada_lovelace', PASSWORD);
    grace = await openViewer(suite.browser, suite.server.url, DESKTOP);
    await signUp(grace.page, 'grace.hopper', PASSWORD);
    await connected(ada.page);
    // Ada administers the server: she moderates #everyone, threads included.
    await suite.server.orm.em.fork().execute(`update users set role = 'admin' where username = 'ada_lovelace'`);
    await ada.page.reload();
    await Promise.all([connected(ada.page), connected(grace.page)]);
  }, 60_000);

  it('two users hold a thread: replies stay out of the room, the root counts them, and unread shows on both sides', async () => {
    await sendMessage(ada.page, 'Shall we ship on Friday?');
    const root = message(grace.page, 'Shall we ship on Friday?');
    await root.waitFor();

    // Grace answers in a thread from the message's actions.
    await act(root, 'Open thread');
    await threadPanel(grace.page).waitFor();
    await replyInThread(grace.page, 'Only after the review');

    // Ada's room shows the root with "1 reply", not the reply itself; her Threads button counts it unread.
    const adaRoot = message(ada.page, 'Shall we ship on Friday?');
    await adaRoot.locator('.thread-summary', { hasText: '1 reply' }).waitFor();
    expect(await ada.page.locator('main .message-items .message-text', { hasText: 'Only after the review' }).count()).toBe(0);
    await threadsButton(ada.page).locator('.unread-badge', { hasText: '1' }).waitFor();

    // The Threads view lists it unread; opening it reads it on the server and the badge goes.
    await threadsButton(ada.page).click();
    const item = ada.page.getByRole('region', { name: 'Threads' }).locator('.threads-item.unread', { hasText: 'Shall we ship on Friday?' });
    await item.waitFor();
    await ada.page.screenshot({ path: `${screenshots}/threads-list.png` });
    await item.click();
    await inThread(ada.page, 'Only after the review').waitFor();
    await expect.poll(() => threadsButton(ada.page).locator('.unread-badge').count(), { timeout: 5_000 }).toBe(0);

    // Ada answers, naming Grace, and also to the room: the room has it, Grace's root counts 2 and shows Ada.
    await replyInThread(ada.page, '@grace.hopper agreed, Monday then', true);
    await message(grace.page, 'agreed, Monday then').waitFor();
    await root.locator('.thread-summary', { hasText: '2 replies' }).waitFor();
    expect(await root.locator('.thread-summary-repliers .avatar, .thread-summary-repliers > *').count()).toBe(2);
    await inThread(ada.page, 'agreed, Monday then').locator('.message-thread-note', { hasText: 'Also sent to the room' }).waitFor();
    // Grace has the thread open: it is read as it comes, so her badge stays clear.
    await inThread(grace.page, 'agreed, Monday then').waitFor();
    await grace.page.waitForTimeout(500);
    expect(await threadsButton(grace.page).locator('.unread-badge').count()).toBe(0);
    await ada.page.screenshot({ path: `${screenshots}/threads-desktop.png` });

    // Inside the thread, the room's own actions: Grace reacts from the picker, Ada edits; each sees the other's change.
    await act(inThread(grace.page, 'agreed, Monday then'), 'Add a reaction');
    await grace.page.getByRole('dialog', { name: 'Add a reaction' }).getByRole('button', { name: 'React with 👍' }).click();
    await inThread(ada.page, 'agreed, Monday then').locator('.reaction-pill .reaction-count', { hasText: '1' }).waitFor();
    const replyId = await threadPanel(ada.page).locator('li[data-message-id]', { has: text(ada.page, 'agreed, Monday then') }).getAttribute('data-message-id');
    // By id: while it is edited its text is in the editor, not the message.
    const mine = threadPanel(ada.page).locator(`li[data-message-id="${replyId}"] .message`);
    await act(mine, 'Edit message');
    const editor = mine.getByRole('textbox');
    await editor.fill('@grace.hopper agreed, Tuesday then');
    await editor.press('Enter');
    await inThread(grace.page, 'agreed, Tuesday then').waitFor();
    await message(grace.page, 'agreed, Tuesday then').waitFor();

    // Grace reports Ada's reply from the thread; the server's admins get it.
    await act(inThread(grace.page, 'agreed, Tuesday then'), 'Report message');
    const report = grace.page.getByRole('dialog', { name: 'Report ada_lovelace’s message' });
    await report.getByLabel('What is wrong with it?').fill('testing reports in a thread');
    await report.getByRole('button', { name: 'Report', exact: true }).click();
    await report.getByText('Thanks: the server’s admins will look at it.').waitFor();
    await report.getByRole('button', { name: 'Close', exact: true }).click();
    const reports = await suite.server.orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from message_reports where message_id = ?`, [replyId]);
    expect(reports[0]!.n).toBe(1);

    await threadPanel(grace.page).getByRole('button', { name: 'Close thread' }).click();
    // "Also send to the room" is per reply: it starts unticked again.
    expect(await threadPanel(ada.page).getByLabel('Also send to the room').isChecked()).toBe(false);
    await replyInThread(ada.page, 'I will tell the team');
    expect(await ada.page.locator('main .message-items .message-text', { hasText: 'I will tell the team' }).count()).toBe(0);
    await threadsButton(grace.page).locator('.unread-badge', { hasText: '1' }).waitFor();
    await root.locator('.thread-summary', { hasText: '3 replies' }).waitFor();
    await root.locator('.thread-summary').click();
    await inThread(grace.page, 'I will tell the team').waitFor();
    await expect.poll(() => threadsButton(grace.page).locator('.unread-badge').count(), { timeout: 5_000 }).toBe(0);
    expect(ada.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
    expect(grace.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
  }, 90_000);

  it('the thread list is the room list: one tab stop, arrows, R quotes into the thread composer, and a moderator removes a reply', async () => {
    // Grace's thread is open on "I will tell the team". From the keyboard: into the list, up one, R.
    const list = threadPanel(grace.page).getByRole('region', { name: 'Thread messages' });
    await list.locator('article.message[tabindex="0"]').focus();
    await expect.poll(() => list.locator('article.message[tabindex="0"]').count()).toBe(1);
    await grace.page.keyboard.press('ArrowUp');
    await expect.poll(() => grace.page.evaluate(() => document.activeElement?.textContent ?? '')).toContain('agreed, Tuesday then');
    await grace.page.keyboard.press('r');
    const box = threadPanel(grace.page).getByLabel('Reply in thread');
    await expect.poll(() => box.evaluate((el) => el === document.activeElement)).toBe(true);
    await threadPanel(grace.page).locator('.composer-reply', { hasText: 'ada_lovelace' }).waitFor();
    await box.fill('Tuesday works for me');
    await box.press('Enter');
    const quoting = inThread(grace.page, 'Tuesday works for me');
    await quoting.locator('.reply-quote', { hasText: 'agreed, Tuesday then' }).waitFor();
    // The quote jumps to the quoted reply, inside the thread.
    await quoting.locator('.reply-quote').click();
    await threadPanel(grace.page).locator('article.message[data-highlighted]', { has: text(grace.page, 'agreed, Tuesday then') }).waitFor();

    // Ada administers the server: Remove… on Grace's reply, with a reason; Grace sees the placeholder in her thread.
    await message(ada.page, 'Shall we ship on Friday?').locator('.thread-summary').click();
    await act(inThread(ada.page, 'Only after the review'), 'Remove message (moderator)');
    const remove = ada.page.getByRole('dialog', { name: 'Remove grace.hopper’s message?' });
    await remove.getByLabel('Why? (kept in the audit log)').fill('testing moderation in a thread');
    await remove.getByRole('button', { name: 'Remove', exact: true }).click();
    await threadPanel(grace.page).locator('.message-deleted-text', { hasText: 'Removed by a moderator' }).waitFor();
    expect(await threadPanel(grace.page).locator('.message-text', { hasText: 'Only after the review' }).count()).toBe(0);
  }, 60_000);

  it('on a phone the thread is a sheet over the room', async () => {
    await grace.page.setViewportSize(PHONE);
    await grace.page.reload();
    await connected(grace.page);
    const root = message(grace.page, 'Shall we ship on Friday?');
    await root.locator('.thread-summary').click();
    const panel = threadPanel(grace.page);
    await inThread(grace.page, 'I will tell the team').waitFor();
    const box = await panel.boundingBox();
    expect(box!.width).toBeGreaterThan(PHONE.width - 40);
    await grace.page.screenshot({ path: `${screenshots}/threads-phone.png` });
    await grace.page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
  }, 60_000);

  it('a reply written while the server is down waits in the thread, and arrives exactly once across a restart, lost answers and reloads', async () => {
    const status = () => ada.page.locator('.connection-status').getAttribute('data-status');
    const stored = () =>
      suite.server.orm.em
        .fork()
        .execute<{ text: string }[]>(`select m.text from messages m join users u on u.id = m.author_id where u.username = 'ada_lovelace' and m.text like 'in the tunnel%' order by m.id`)
        .then((rows) => rows.map((r) => r.text));
    // The shell is cached (the service worker controls the page), so a reload without the server still starts the app.
    await expect.poll(() => ada.page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 15_000 }).toBe(true);
    if (!(await threadPanel(ada.page).isVisible())) await message(ada.page, 'Shall we ship on Friday?').locator('.thread-summary').click();
    await inThread(ada.page, 'I will tell the team').waitFor();

    await suite.server.stop();
    await expect.poll(status, { timeout: 10_000 }).toMatch(/reconnecting|offline/);
    const box = threadPanel(ada.page).getByLabel('Reply in thread');
    await box.fill('in the tunnel, one');
    await box.press('Enter');
    await box.fill('in the tunnel, two');
    await box.press('Enter');
    await expect.poll(() => threadPanel(ada.page).locator('.message-queued').count(), { timeout: 10_000 }).toBe(2);
    await ada.page.screenshot({ path: `${screenshots}/threads-outbox-offline.png` });

    // A reload with the server still down: the app starts from the cache with the rooms this browser kept, and says so.
    await ada.page.reload();
    await ada.page.getByRole('status').filter({ hasText: 'Offline — messages will be sent when the connection is back' }).waitFor({ timeout: 30_000 });
    await ada.page.locator('#room-sidebar').getByText('everyone').first().waitFor();
    await ada.page.screenshot({ path: `${screenshots}/offline-rooms.png` });

    // The server is back, but every reply's answer is lost on the way (the server has stored it): tried again, same id.
    const replies = await loseAnswers(ada.context, (url) => url.pathname.includes('thread.reply'));
    await suite.server.start();
    await expect.poll(() => replies.tries, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    await expect.poll(stored, { timeout: 10_000 }).toEqual(['in the tunnel, one']);

    // Another reload before any answer came back, then the network heals: both arrive, once each, in order.
    await ada.page.reload();
    await connected(ada.page);
    await replies.heal();
    await expect.poll(stored, { timeout: 30_000 }).toEqual(['in the tunnel, one', 'in the tunnel, two']);
    await message(ada.page, 'Shall we ship on Friday?').locator('.thread-summary').click();
    await inThread(ada.page, 'in the tunnel, two').waitFor();
    await expect.poll(() => threadPanel(ada.page).locator('.message-queued, .message-sending').count(), { timeout: 10_000 }).toBe(0);
    expect(await threadPanel(ada.page).locator('.message-text', { hasText: 'in the tunnel' }).count()).toBe(2);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await stored()).toEqual(['in the tunnel, one', 'in the tunnel, two']);
    expect(ada.dialogs).toEqual([]);
  }, 120_000);
});
