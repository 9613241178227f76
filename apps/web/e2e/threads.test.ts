import { mkdirSync } from 'node:fs';
import { startTestServer, type TestServer } from '@chat/server/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { browserTestsReady, launchChromium, openViewer, screenshots, sendMessage, signUp, type Viewer, webDist } from './browser';

// Issue 25's "Done when": a thread conversation between two users, with counts and unread on both sides.

const PASSWORD = 'correct horse battery';
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

const connected = (page: Page) => page.locator('[data-status=connected]').waitFor({ timeout: 15_000 });
const message = (page: Page, text: string | RegExp) => page.locator('.message-items .message', { has: page.locator('.message-text', { hasText: text }) });
const threadPanel = (page: Page) => page.getByRole('complementary', { name: 'Thread' });
const threadsButton = (page: Page) => page.locator('.threads-toggle');

async function replyInThread(page: Page, text: string, alsoToRoom = false) {
  const panel = threadPanel(page);
  if (alsoToRoom) await panel.getByLabel('Also send to the room').check();
  const box = panel.getByLabel('Reply in thread');
  await box.fill(text);
  await box.press('Enter');
  await panel.locator('.thread-message', { hasText: text }).waitFor();
}

describe.runIf(browserTestsReady)('threads in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let ada: Viewer;
  let grace: Viewer;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    [server, browser] = await Promise.all([startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), webDistDir: webDist }), launchChromium()]);
    ada = await openViewer(browser, server.url, DESKTOP);
    await signUp(ada.page, 'ada_lovelace', PASSWORD);
    grace = await openViewer(browser, server.url, DESKTOP);
    await signUp(grace.page, 'grace.hopper', PASSWORD);
    await Promise.all([connected(ada.page), connected(grace.page)]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('two users hold a thread: replies stay out of the room, the root counts them, and unread shows on both sides', async () => {
    await sendMessage(ada.page, 'Shall we ship on Friday?');
    const root = message(grace.page, 'Shall we ship on Friday?');
    await root.waitFor();

    // Grace answers in a thread from the message's actions.
    await root.hover();
    await root.getByRole('toolbar', { name: 'Message actions' }).getByRole('button', { name: 'Open thread' }).click();
    await threadPanel(grace.page).waitFor();
    await replyInThread(grace.page, 'Only after the review');

    // Ada's room shows the root with "1 reply", not the reply itself; her Threads button counts it unread.
    const adaRoot = message(ada.page, 'Shall we ship on Friday?');
    await adaRoot.locator('.thread-summary', { hasText: '1 reply' }).waitFor();
    expect(await ada.page.locator('.message-items .message-text', { hasText: 'Only after the review' }).count()).toBe(0);
    await threadsButton(ada.page).locator('.unread-badge', { hasText: '1' }).waitFor();

    // The Threads view lists it unread; opening it reads it on the server and the badge goes.
    await threadsButton(ada.page).click();
    const item = ada.page.getByRole('region', { name: 'Threads' }).locator('.threads-item.unread', { hasText: 'Shall we ship on Friday?' });
    await item.waitFor();
    await ada.page.screenshot({ path: `${screenshots}/threads-list.png` });
    await item.click();
    await threadPanel(ada.page).locator('.thread-message', { hasText: 'Only after the review' }).waitFor();
    await expect.poll(() => threadsButton(ada.page).locator('.unread-badge').count(), { timeout: 5_000 }).toBe(0);

    // Ada answers, naming Grace, and also to the room: the room has it, Grace's root counts 2 and shows Ada.
    await replyInThread(ada.page, '@grace.hopper agreed, Monday then', true);
    await message(grace.page, 'agreed, Monday then').waitFor();
    await root.locator('.thread-summary', { hasText: '2 replies' }).waitFor();
    expect(await root.locator('.thread-summary-repliers .avatar, .thread-summary-repliers > *').count()).toBe(2);
    // Grace has the thread open: it is read as it comes, so her badge stays clear.
    await threadPanel(grace.page).locator('.thread-message', { hasText: 'agreed, Monday then' }).waitFor();
    await grace.page.waitForTimeout(500);
    expect(await threadsButton(grace.page).locator('.unread-badge').count()).toBe(0);
    await ada.page.screenshot({ path: `${screenshots}/threads-desktop.png` });

    // Grace closes the thread; Ada replies again: Grace's Threads button shows 1 unread.
    // Inside the thread: Grace reacts to Ada's reply and Ada edits it; each sees the other's change.
    const adaReply = threadPanel(grace.page).locator('.thread-message', { hasText: 'agreed, Monday then' });
    await adaReply.getByRole('button', { name: '👍' }).click();
    await threadPanel(ada.page).locator('.thread-message', { hasText: 'agreed, Monday then' }).locator('.thread-reaction', { hasText: '1' }).waitFor();
    const replyId = await threadPanel(ada.page).locator('.thread-message', { hasText: 'agreed, Monday then' }).getAttribute('data-message-id');
    // By id: while it is edited its text is in the editor, not the message.
    const mine = threadPanel(ada.page).locator(`.thread-message[data-message-id="${replyId}"]`);
    await mine.getByRole('button', { name: 'Edit' }).click();
    const editor = mine.getByRole('textbox');
    await editor.fill('@grace.hopper agreed, Tuesday then');
    await editor.press('Enter');
    await threadPanel(grace.page).locator('.thread-message', { hasText: 'agreed, Tuesday then' }).waitFor();
    await message(grace.page, 'agreed, Tuesday then').waitFor();
    await threadPanel(grace.page).getByRole('button', { name: 'Close thread' }).click();
    // "Also send to the room" is per reply: it starts unticked again.
    expect(await threadPanel(ada.page).getByLabel('Also send to the room').isChecked()).toBe(false);
    await replyInThread(ada.page, 'I will tell the team');
    expect(await ada.page.locator('.message-items .message-text', { hasText: 'I will tell the team' }).count()).toBe(0);
    await threadsButton(grace.page).locator('.unread-badge', { hasText: '1' }).waitFor();
    await root.locator('.thread-summary', { hasText: '3 replies' }).waitFor();
    await root.locator('.thread-summary').click();
    await threadPanel(grace.page).locator('.thread-message', { hasText: 'I will tell the team' }).waitFor();
    await expect.poll(() => threadsButton(grace.page).locator('.unread-badge').count(), { timeout: 5_000 }).toBe(0);
    expect(ada.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
    expect(grace.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
  }, 90_000);

  it('on a phone the thread is a sheet over the room', async () => {
    await grace.page.setViewportSize(PHONE);
    await grace.page.reload();
    await connected(grace.page);
    const root = message(grace.page, 'Shall we ship on Friday?');
    await root.locator('.thread-summary').click();
    const panel = threadPanel(grace.page);
    await panel.locator('.thread-message', { hasText: 'I will tell the team' }).waitFor();
    const box = await panel.boundingBox();
    expect(box!.width).toBeGreaterThan(PHONE.width - 40);
    await grace.page.screenshot({ path: `${screenshots}/threads-phone.png` });
    await grace.page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
  }, 60_000);
});
