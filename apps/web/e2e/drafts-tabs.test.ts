import type { AppRouter } from '@chat/api';
import { createTRPCClient, httpLink } from '@trpc/client';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserTestsReady, openViewer, signUp, useBrowserSuite } from './browser';

const PASSWORD = 'correct horse battery';
const DESKTOP = { width: 1280, height: 800 };

const composer = (page: Page) => page.getByLabel('Message', { exact: true });
const connected = (page: Page) => page.locator('[data-status=connected]').waitFor({ timeout: 15_000 });
const tokenOf = (page: Page) => page.evaluate(() => (JSON.parse(localStorage.getItem('chat.session.v1') ?? '{}') as { token?: string }).token ?? '');

// Two tabs of one account (two pages of one context: one localStorage) typing drafts in different
// rooms: neither tab's copy overwrites the other's draft, and a tab shows what the other typed
// (docs/decisions/152).
describe.runIf(browserTestsReady)('drafts across tabs of one account', () => {
  const suite = useBrowserSuite();

  it("keeps a draft typed in one tab when another tab, loaded before it, types in another room; that tab then shows it", async () => {
    const tabA = await openViewer(suite.browser, suite.server.url, DESKTOP);
    await signUp(tabA.page, 'ada_drafts', PASSWORD);
    await connected(tabA.page);
    const api = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${suite.server.url}/trpc`, headers: { authorization: `Bearer ${await tokenOf(tabA.page)}` } })] });
    const other = await api.room.create.mutate({ name: 'drafts-two', kind: 'channel' });

    // Tab B loads first in the other room, with no drafts at all.
    const tabB = await tabA.context.newPage();
    await tabB.goto(`${suite.server.url}/r/${other.id}`);
    await connected(tabB);
    await composer(tabB).waitFor();

    await composer(tabA.page).fill('typed in tab A, in #everyone');
    await composer(tabB).fill('typed in tab B, in #drafts-two');
    // What tab A typed survives tab B's write: a reload of tab A brings it back.
    await tabA.page.reload();
    await expect.poll(() => composer(tabA.page).inputValue(), { timeout: 15_000 }).toBe('typed in tab A, in #everyone');

    // Tab B follows: opening #everyone there shows tab A's draft without a reload, and the reverse.
    await tabB.getByRole('navigation', { name: 'Rooms' }).getByRole('link', { name: /everyone/ }).click();
    await expect.poll(() => composer(tabB).inputValue()).toBe('typed in tab A, in #everyone');
    await composer(tabB).fill('tab B finished the thought');
    await tabA.page.getByRole('navigation', { name: 'Rooms' }).getByRole('link', { name: /drafts-two/ }).click();
    await expect.poll(() => composer(tabA.page).inputValue()).toBe('typed in tab B, in #drafts-two');
    await tabA.page.getByRole('navigation', { name: 'Rooms' }).getByRole('link', { name: /everyone/ }).click();
    await expect.poll(() => composer(tabA.page).inputValue()).toBe('tab B finished the thought');
    expect(tabA.errors).toEqual([]);
  }, 90_000);
});
