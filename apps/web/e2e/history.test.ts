import type { AppRouter } from '@chat/api';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserTestsReady, openViewer, signUp, type Viewer, useBrowserSuite } from './browser';

const SEEDED = 120;

describe.runIf(browserTestsReady)('history and scrolling in a real browser', () => {
  const suite = useBrowserSuite();
  let viewer: Viewer;
  let post: (text: string) => Promise<unknown>;

  beforeAll(async () => {
    viewer = await openViewer(suite.browser, suite.server.url, { width: 1024, height: 720 });
    await signUp(viewer.page, 'hedy', 'correct horse battery');
    await viewer.page.locator('[data-status=connected]').waitFor();
    // A second person fills the room over plain HTTP, as any other client would.
    const anon = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${suite.server.url}/trpc` })] });
    const { token } = await anon.auth.signup.mutate({ username: 'alan', password: 'correct horse battery' });
    const alan = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${suite.server.url}/trpc`, headers: { authorization: `Bearer ${token}` } })] });
    post = (text) => alan.chat.send.mutate({ text });
    for (let i = 1; i <= SEEDED; i++) await post(`seeded ${i}`);
  }, 60_000);

  const scroller = () => viewer.page.locator('.message-scroller');

  it('follows live messages while at the bottom', async () => {
    await viewer.page.locator('.message-text', { hasText: `seeded ${SEEDED}` }).waitFor();
    const atBottom = await scroller().evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 48);
    expect(atBottom).toBe(true);
  });

  it('loads older pages when scrolled up, keeping the visible messages in place', async () => {
    await viewer.page.reload();
    await viewer.page.locator('.message-text', { hasText: `seeded ${SEEDED}` }).waitFor();
    const oldestLoaded = () => viewer.page.locator('.message-items .message-text').first().innerText();
    expect(await oldestLoaded()).toBe(`seeded ${SEEDED - 49}`);
    const anchor = viewer.page.locator('.message-text', { hasText: new RegExp(`^seeded ${SEEDED - 49}$`) });
    await scroller().evaluate((el) => el.scrollTo({ top: 0 }));
    await expect.poll(oldestLoaded).toBe(`seeded ${SEEDED - 99}`);
    // The message that was at the top is still on screen: the view did not jump to the new top.
    const box = await anchor.boundingBox();
    const view = await scroller().boundingBox();
    expect(box && view && box.y >= view.y - box.height && box.y <= view.y + view.height).toBe(true);
    await scroller().evaluate((el) => el.scrollTo({ top: 0 }));
    await expect.poll(oldestLoaded).toBe('seeded 1');
    await viewer.page.getByText('This is the beginning of the chat.').waitFor();
  }, 20_000);

  it('shows a "new messages" pill instead of jumping when scrolled up', async () => {
    await post('arrived while reading old messages');
    const pill = viewer.page.getByRole('button', { name: /1 new message/ });
    await pill.waitFor();
    const top = await scroller().evaluate((el) => el.scrollTop);
    expect(top).toBeLessThan(1000);
    await pill.click();
    await expect.poll(() => scroller().evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 48)).toBe(true);
    await viewer.page.locator('.message-text', { hasText: 'arrived while reading old messages' }).waitFor();
    expect(await pill.count()).toBe(0);
  }, 20_000);
});
