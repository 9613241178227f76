import type { AppRouter } from '@chat/api';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserTestsReady, openViewer, useBrowserSuite } from './browser';

const PASSWORD = 'correct horse battery';

/*
 * A page load reads the open room's newest page ahead, with its first reads (decision 167), and its
 * stream starts from a cursor taken before them. Whatever the stream brings for that room before the
 * room's view is on screen must still reach it: a message sent, reacted to and edited in that gap was
 * lost when the stream's catch-up came before the room's first render (a slow phone; decision 170's
 * faster write path made it happen in CI).
 */
describe.runIf(browserTestsReady)('events that arrive before the room is on screen', () => {
  const suite = useBrowserSuite();

  it('shows a message sent, reacted to and edited while the room list was still on its way', async () => {
    const anon = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${suite.server.url}/trpc` })] });
    await anon.auth.signup.mutate({ username: 'reader', password: PASSWORD });
    const { token } = await anon.auth.signup.mutate({ username: 'writer', password: PASSWORD });
    const writer = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${suite.server.url}/trpc`, headers: { authorization: `Bearer ${token}` } })] });

    const viewer = await openViewer(suite.browser, suite.server.url, { width: 1024, height: 720 });
    // The room list's answer (and anything batched with it) is held back until the writer is done: the
    // server has read the newest page by then, and the stream is open, but no room is on screen.
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let held = 0;
    const holdRoomList = async (route: Route) => {
      held++;
      const answer = await route.fetch();
      await released;
      await route.fulfill({ response: answer });
    };
    await viewer.context.route((url) => url.pathname.includes('room.list'), holdRoomList);
    try {
      await viewer.page.getByLabel('Username').fill('reader');
      await viewer.page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await viewer.page.getByLabel('Password', { exact: true }).press('Enter');
      await viewer.page.waitForEvent('websocket', { timeout: 15_000 });
      await expect.poll(() => held).toBeGreaterThan(0);
      // The stream has had time to subscribe from its cursor; what follows reaches it, not the page read ahead.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const sent = await writer.chat.send.mutate({ text: 'Sent before the room showed' });
      await writer.chat.react.mutate({ messageId: sent.id, emoji: '🎉', on: true });
      await writer.chat.edit.mutate({ messageId: sent.id, text: 'Edited before the room showed' });
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      // A slow phone: the room's first render takes long enough for the stream's catch-up to come first.
      const cdp = await viewer.context.newCDPSession(viewer.page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 20 });
      release();
    }
    await viewer.page.locator('.message-text', { hasText: 'Edited before the room showed' }).waitFor({ timeout: 30_000 });
    await viewer.page.locator('.message', { hasText: 'Edited before the room showed' }).getByRole('button', { name: /🎉/ }).waitFor({ timeout: 30_000 });
    await viewer.context.close();
  }, 90_000);
});
