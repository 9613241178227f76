import { makePng } from '@chat/server/testing';
import type { Route } from 'playwright-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { browserTestsReady, openViewer, screenshots, signUp, useBrowserSuite, type Viewer } from './browser';

// A message with an image written while the server is down (decision 133's outbox, issue 24's files): it shows
// queued with its image from the browser's copy, survives a reload (the Blob is in IndexedDB with the item), and
// is delivered once with its image when the server can be reached again.

const PASSWORD = 'correct horse battery';
const DESKTOP = { width: 1280, height: 800 };

describe.runIf(browserTestsReady)('files in the outbox, in a real browser', () => {
  // Stopped and started again below: the same server (its address and database), read through the suite each time.
  const suite = useBrowserSuite({ files: {} });
  let ada: Viewer;
  let grace: Viewer;

  const status = (v: Viewer) => v.page.locator('.connection-status');
  const stored = () =>
    suite.server.orm.em
      .fork()
      .execute<{ text: string; files: number }[]>(
        `select m.text, (select count(*)::int from attachments a where a.message_id = m.id) as files
           from messages m join users u on u.id = m.author_id where u.username = 'ada_outfiles' and m.text = 'offline picture' order by m.id`,
      );
  const pendingImageLoaded = (v: Viewer) =>
    v.page
      .locator('.message-queued .pending-thumb img, .message-sending .pending-thumb img')
      .evaluateAll((imgs: HTMLImageElement[]) => imgs.length === 1 && imgs[0]!.complete && imgs[0]!.naturalWidth === 240);

  it('an image attached and sent while the server is down shows queued, survives a reload, and arrives once with its image', async () => {
    ada = await openViewer(suite.browser, suite.server.url, DESKTOP);
    await signUp(ada.page, 'ada_outfiles', PASSWORD);
    grace = await openViewer(suite.browser, suite.server.url, DESKTOP);
    await signUp(grace.page, 'grace_outfiles', PASSWORD);
    for (const v of [ada, grace]) {
      await expect.poll(() => status(v).getAttribute('data-status'), { timeout: 10_000 }).toBe('connected');
      await v.page.getByLabel('Message', { exact: true }).waitFor();
    }

    await suite.server.stop();
    await expect.poll(() => status(ada).getAttribute('data-status'), { timeout: 10_000 }).toMatch(/reconnecting|offline/);
    await ada.page.locator('input[type=file]').setInputFiles([{ name: 'photo.png', mimeType: 'image/png', buffer: makePng(240, 120) }]);
    const box = ada.page.getByLabel('Message', { exact: true });
    await box.fill('offline picture');
    await box.press('Enter');
    // Queued with its image, read from the File itself; the composer's chip went with it.
    await expect.poll(() => ada.page.locator('.message-queued').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => pendingImageLoaded(ada), { timeout: 10_000 }).toBe(true);
    expect(await ada.page.locator('.upload-chip').count()).toBe(0);
    await ada.page.screenshot({ path: `${screenshots}/outbox-files-offline.png` });

    // The server comes back, but Ada's uploads and sends still cannot get through; she reloads meanwhile.
    let blocked = 0;
    const cut = async (route: Route) => {
      blocked++;
      await route.abort('connectionreset').catch(() => undefined);
    };
    const isDelivery = (url: URL) => url.pathname.startsWith('/files/uploads') || url.pathname.includes('chat.send');
    await ada.context.route(isDelivery, cut);
    onTestFinished(() => ada.context.unroute(isDelivery, cut));
    await suite.server.start();
    await ada.page.reload();
    await expect.poll(() => status(ada).getAttribute('data-status'), { timeout: 15_000 }).toBe('connected');
    // After the reload the image comes from IndexedDB, with the item.
    await expect.poll(() => pendingImageLoaded(ada), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => blocked, { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await stored()).toEqual([]);

    // Through at last, with no click: one message, one file, and Grace sees the image.
    await ada.context.unroute(isDelivery, cut);
    await expect.poll(stored, { timeout: 30_000 }).toEqual([{ text: 'offline picture', files: 1 }]);
    const thumb = grace.page.getByRole('button', { name: 'Open image photo.png' });
    await thumb.waitFor({ timeout: 15_000 });
    await expect.poll(() => thumb.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => ada.page.locator('.message-queued, .message-sending').count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => ada.page.getByRole('button', { name: 'Open image photo.png' }).count(), { timeout: 10_000 }).toBe(1);
    await grace.page.screenshot({ path: `${screenshots}/outbox-files-delivered.png` });
    // Still once, after the outbox has settled.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await stored()).toEqual([{ text: 'offline picture', files: 1 }]);
    expect(ada.dialogs.concat(grace.dialogs)).toEqual([]);
  }, 120_000);
});
