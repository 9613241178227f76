import { readFileSync } from 'node:fs';
import type { AppRouter } from '@chat/api';
import { makePdf, makePng } from '@chat/server/testing';
import { createTRPCClient, httpLink } from '@trpc/client';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserTestsReady, openViewer, screenshots, signUp, type Viewer, useBrowserSuite } from './browser';

// Issue 24 in a real browser: two users of a private room exchange an image and a PDF.

const PASSWORD = 'correct horse battery';
const DESKTOP = { width: 1280, height: 800 };

const sidebar = (page: Page) => page.getByRole('navigation', { name: 'Rooms' });
const tokenOf = (page: Page) => page.evaluate(() => (JSON.parse(localStorage.getItem('chat.session.v1') ?? '{}') as { token?: string }).token ?? '');

describe.runIf(browserTestsReady)('files in a real browser', () => {
  const suite = useBrowserSuite({ files: {} });
  let ada: Viewer;
  let grace: Viewer;

  it('an image and a PDF go from one member to the other: thumbnail at its aspect ratio, viewer, same PDF bytes, and nothing once removed', async () => {
    ada = await openViewer(suite.browser, suite.server.url, DESKTOP);
    await signUp(ada.page, 'ada_files', PASSWORD);
    grace = await openViewer(suite.browser, suite.server.url, DESKTOP);
    await signUp(grace.page, 'grace_files', PASSWORD);
    for (const v of [ada, grace]) await v.page.getByLabel('Message', { exact: true }).waitFor();

    const api = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${suite.server.url}/trpc`, headers: { authorization: `Bearer ${await tokenOf(ada.page)}` } })] });
    const graceId = (await createTRPCClient<AppRouter>({ links: [httpLink({ url: `${suite.server.url}/trpc`, headers: { authorization: `Bearer ${await tokenOf(grace.page)}` } })] }).auth.me.query()).id;
    const room = await api.room.create.mutate({ name: 'design', kind: 'private' });
    await api.room.invite.mutate({ roomId: room.id, userId: graceId });
    for (const v of [ada, grace]) await sidebar(v.page).getByRole('link', { name: /design/ }).click();

    // Ada attaches both through the file input; chips show until the uploads are done.
    const png = makePng(320, 160);
    const pdf = makePdf('design review');
    await ada.page.locator('input[type=file]').setInputFiles([
      { name: 'mockup.png', mimeType: 'image/png', buffer: png },
      { name: 'review.pdf', mimeType: 'application/pdf', buffer: pdf },
    ]);
    await expect.poll(() => ada.page.locator('.upload-chip-ready').count(), { timeout: 15_000 }).toBe(2);
    await ada.page.screenshot({ path: `${screenshots}/files-composer.png` });
    const box = ada.page.getByLabel('Message', { exact: true });
    await box.fill('the mockup and the review');
    await box.press('Enter');
    await expect.poll(() => ada.page.locator('.upload-chip').count(), { timeout: 5_000 }).toBe(0);

    // Grace sees the thumbnail in a box of the image's own shape (2:1), reserved before it loads.
    const thumb = grace.page.getByRole('button', { name: 'Open image mockup.png' });
    await thumb.waitFor({ timeout: 15_000 });
    const size = await thumb.boundingBox();
    expect(size!.width / size!.height).toBeCloseTo(2, 1);
    await expect.poll(() => thumb.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => grace.page.getByText('application/pdf · ').count()).toBe(1);
    await grace.page.screenshot({ path: `${screenshots}/files-message.png` });

    // The viewer: opens on click, shows the full image, zooms, Escape closes it.
    await thumb.click();
    const viewer = grace.page.locator('dialog.image-viewer');
    await viewer.waitFor();
    await expect.poll(() => viewer.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 10_000 }).toBe(320);
    await grace.page.keyboard.press('+');
    await expect.poll(() => viewer.locator('.image-viewer-zoom').innerText()).toBe('150%');
    await grace.page.screenshot({ path: `${screenshots}/files-viewer.png` });
    await grace.page.keyboard.press('Escape');
    await expect.poll(() => viewer.count()).toBe(0);

    // The PDF downloads with the bytes Ada sent.
    const link = grace.page.getByRole('link', { name: 'Download review.pdf' });
    const [download] = await Promise.all([grace.page.waitForEvent('download'), link.click()]);
    expect(readFileSync((await download.path())!).equals(pdf)).toBe(true);
    const href = (await link.getAttribute('href'))!;
    expect(await grace.page.evaluate((url) => fetch(url).then((r) => r.status), href)).toBe(200);

    // Removed from the room, Grace's page can no longer load the file, even with the URL it had.
    await api.room.remove.mutate({ roomId: room.id, userId: graceId });
    // (no-store: the browser's own cache may keep what it already loaded for max-age; the question is the server.)
    await expect.poll(() => grace.page.evaluate((url) => fetch(url, { cache: 'no-store' }).then((r) => r.status), href), { timeout: 5_000 }).toBe(404);
    expect(ada.dialogs.concat(grace.dialogs)).toEqual([]);
  }, 90_000);
});
