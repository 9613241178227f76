import { mkdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { isPublicAddress } from '@chat/api';
import { makePng, startTestServer, type TestServer } from '@chat/server/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { browserTestsReady, launchChromium, openViewer, screenshots, sendMessage, signUp, type Viewer, webDist } from './browser';

// A link preview's image in a real browser (docs/decisions/141-preview-images-stored.md): the server
// stored the page's og:image as a file of the message, and the card loads it from our own origin
// through a ticket, under the app's CSP (img-src 'self' data:), which never lets the page's URL load.

const PASSWORD = 'correct horse battery';
const DESKTOP = { width: 1280, height: 800 };
const PUBLIC_IP = '127.0.0.2';

describe.runIf(browserTestsReady)('link preview images in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let site: http.Server;
  const siteHits: string[] = [];
  let ada: Viewer;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    const png = makePng(600, 300);
    site = http.createServer((req, res) => {
      siteHits.push(req.url ?? '');
      if (req.url === '/story') {
        return void res
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<head><meta property="og:title" content="Lighthouse keepers return"><meta property="og:description" content="A story with a picture"><meta property="og:image" content="/wide.png"></head>');
      }
      if (req.url === '/wide.png') return void res.writeHead(200, { 'content-type': 'image/png' }).end(png);
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => site.listen(0, PUBLIC_IP, resolve));
    const port = (site.address() as AddressInfo).port;
    const network = {
      resolve: async (host: string) => (host === 'news.test' ? [PUBLIC_IP] : Promise.reject(new Error('ENOTFOUND'))),
      allowAddress: (address: string) => address === PUBLIC_IP || isPublicAddress(address),
      ports: new Set([80, 443, port]),
    };
    [server, browser] = await Promise.all([
      startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), webDistDir: webDist, files: {}, linkPreviews: { network, allowHttpImages: true } }),
      launchChromium(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
    site?.closeAllConnections();
    await new Promise<void>((resolve) => (site ? site.close(() => resolve()) : resolve()));
  });

  it('shows the card’s image from our origin, at its aspect ratio, with no CSP violation and no request from the browser to the site', async () => {
    ada = await openViewer(browser, server.url, DESKTOP);
    await signUp(ada.page, 'ada_previews', PASSWORD);
    await ada.page.getByLabel('Message', { exact: true }).waitFor();
    const port = (site.address() as AddressInfo).port;
    await sendMessage(ada.page, `have you seen http://news.test:${port}/story`);

    const card = ada.page.locator('.link-preview');
    await card.waitFor({ timeout: 15_000 });
    const img = card.locator('.link-preview-image img');
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0), { timeout: 15_000 }).toBe(true);
    expect(await img.getAttribute('src')).toMatch(new RegExp(`^${server.url}/files/[0-9a-f]{32}/thumbnail\\?ticket=`));
    const box = (await card.locator('.link-preview-image').boundingBox())!;
    expect(box.width / box.height).toBeCloseTo(2, 1);
    await ada.page.screenshot({ path: `${screenshots}/link-preview-image.png` });

    // The site saw the server's two fetches (page and image), and nothing from the browser.
    expect(siteHits).toEqual(['/story', '/wide.png']);
    expect(ada.errors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
    expect(ada.dialogs).toEqual([]);
  }, 90_000);
});
