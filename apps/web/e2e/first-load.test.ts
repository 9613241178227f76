import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { MIN_BYTES as PRECOMPRESS_MIN_BYTES } from '../vite-plugins/precompress';
import { browserTestsReady, openViewer, sendMessage, signUp, type Viewer, webDist, useBrowserSuite } from './browser';


const PHONE = { width: 390, height: 844 };
/** What the login page may cost on the wire, all scripts and styles together (it was 622 KiB uncompressed). */
const LOGIN_BUDGET_BYTES = 160 * 1024;
/** Chunks (named by Vite after their entry module) that the login page must not load. */
const NOT_ON_LOGIN = /\/assets\/(SignedInApp|ReactionPicker|password-policy)-[\w-]+\.js$/;
/** Chunks of panels and dialogs the signed-in first screen does not show (docs/decisions/164). */
const NOT_ON_FIRST_SCREEN = /\/assets\/(ThreadPanel|ThreadsView|PinnedPanel|MessageSearch|\w+Dialog|ImageViewer|ProfileCard|ReactionPicker)-[\w-]+\.js$/;

interface Loaded {
  url: string;
  encoding: string | undefined;
  /** Bytes on the wire (compressed when compressed). */
  bytes: number;
}

/** Every script and stylesheet the page fetches from now on. */
function recordAssets(page: Page) {
  const loaded: Loaded[] = [];
  page.on('requestfinished', (request) => {
    if (!['script', 'stylesheet'].includes(request.resourceType())) return;
    void Promise.all([request.response(), request.sizes()]).then(([response, sizes]) => {
      loaded.push({ url: request.url(), encoding: response?.headers()['content-encoding'], bytes: sizes.responseBodySize });
    });
  });
  return loaded;
}

interface Call {
  kind: 'asked' | 'answered';
  /** The procedures of one HTTP batch, e.g. ['room.list', 'chat.history']. */
  procedures: string[];
}

/** Every HTTP API call from now on, asked and answered, in the order the browser saw them. */
function recordCalls(page: Page) {
  const calls: Call[] = [];
  const proceduresOf = (url: string) => decodeURIComponent(new URL(url).pathname.replace(/^\/trpc\//, '')).split(',');
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/trpc/')) calls.push({ kind: 'asked', procedures: proceduresOf(request.url()) });
  });
  page.on('requestfinished', (request) => {
    if (new URL(request.url()).pathname.startsWith('/trpc/')) calls.push({ kind: 'answered', procedures: proceduresOf(request.url()) });
  });
  return calls;
}

/** CSP violations the browser reports (DevTools' Issues panel; Lighthouse counts them against best practices). */
async function recordCspIssues(context: BrowserContext, page: Page) {
  const issues: string[] = [];
  const cdp = await context.newCDPSession(page);
  cdp.on('Audits.issueAdded', ({ issue }) => {
    if (issue.code === 'ContentSecurityPolicyIssue') issues.push(JSON.stringify(issue.details));
  });
  await cdp.send('Audits.enable');
  return issues;
}

function pngSize(bytes: Buffer) {
  expect(bytes.subarray(1, 4).toString()).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('the build', () => {
  it.runIf(existsSync(`${webDist}/index.html`))('writes a .br and a .gz beside every script and stylesheet, each decoding to the file', () => {
    const assets = readdirSync(`${webDist}/assets`).filter((f) => /\.(js|css)$/.test(f));
    expect(assets.length).toBeGreaterThan(0);
    for (const name of assets) {
      const plain = readFileSync(`${webDist}/assets/${name}`);
      if (plain.length < 1024) continue;
      expect(brotliDecompressSync(readFileSync(`${webDist}/assets/${name}.br`)).equals(plain), name).toBe(true);
      expect(gunzipSync(readFileSync(`${webDist}/assets/${name}.gz`)).equals(plain), name).toBe(true);
      // Source maps sit beside the scripts, and each script says where its map is.
      if (name.endsWith('.js')) expect(plain.toString()).toContain(`//# sourceMappingURL=${name}.map`);
    }
  });
});

describe.runIf(browserTestsReady)('the first load on a phone', () => {
  const suite = useBrowserSuite();
  let viewer: Viewer;
  let loaded: Loaded[];
  let loginIssues: string[];

  beforeAll(async () => {
    const context = await suite.browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    loaded = recordAssets(page);
    loginIssues = await recordCspIssues(context, page);
    await page.goto(suite.server.url);
    // Zod parses on blur: the form's checks run too.
    await page.getByLabel('Username').fill('someone');
    await page.getByLabel('Password', { exact: true }).focus();
    await page.getByRole('heading', { name: 'Ember' }).waitFor();
    await page.waitForLoadState('networkidle');
    await context.close();
  }, 60_000);

  it('loads the login page compressed, within its budget, without the chat, the emoji picker or the password dictionaries', () => {
    expect(loaded.length).toBeGreaterThan(0);
    expect(loaded.filter((a) => NOT_ON_LOGIN.test(a.url)).map((a) => a.url)).toEqual([]);
    // The build leaves files under its threshold plain (rolldown's 0.7 kB runtime chunk, shared since the chat
    // chunk lost the upload client): every other one comes as brotli.
    expect(loaded.filter((a) => a.encoding !== 'br' && a.bytes >= PRECOMPRESS_MIN_BYTES).map((a) => a.url)).toEqual([]);
    const total = loaded.reduce((sum, a) => sum + a.bytes, 0);
    expect(total).toBeLessThan(LOGIN_BUDGET_BYTES);
  });

  it('breaks no CSP rule on the login page (zod would probe eval)', () => {
    expect(loginIssues).toEqual([]);
  });

  it('loads the chat on sign-in, and the emoji picker only when it is opened', async () => {
    viewer = await openViewer(suite.browser, suite.server.url, PHONE);
    const after = recordAssets(viewer.page);
    const issues = await recordCspIssues(viewer.context, viewer.page);
    await signUp(viewer.page, 'phone_user', 'correct horse battery');
    await viewer.page.locator('[data-status=connected]').waitFor({ timeout: 15_000 });
    await sendMessage(viewer.page, 'Hello from a phone');
    const message = viewer.page.locator('.message', { has: viewer.page.locator('.message-text', { hasText: 'Hello from a phone' }) });
    await message.waitFor();
    expect(after.some((a) => /\/SignedInApp-/.test(a.url))).toBe(true);
    expect(after.some((a) => /\/ReactionPicker-/.test(a.url))).toBe(false);

    await message.hover();
    await message.getByRole('toolbar', { name: 'Message actions' }).getByRole('button', { name: 'Add a reaction' }).click();
    await viewer.page.getByRole('dialog', { name: 'Add a reaction' }).getByRole('button', { name: 'React with 👍' }).waitFor();
    expect(after.some((a) => /\/ReactionPicker-/.test(a.url))).toBe(true);
    expect(viewer.errors).toEqual([]);
    expect(issues).toEqual([]);
  }, 40_000);

  it('starts signed in without the panels and dialogs, fills the message list in one commit, and loads a panel when it is opened', async () => {
    // Each time the room's list gains or loses messages, counted per commit (one observer callback per commit).
    await viewer.page.addInitScript(() => {
      const commits: number[] = [];
      (window as unknown as { listCommits: number[] }).listCommits = commits;
      new MutationObserver((records) => {
        const changed = records.filter((r) => r.target instanceof Element && r.target.matches('ol.message-items') && r.addedNodes.length + r.removedNodes.length > 0);
        if (changed.length > 0) commits.push(changed.reduce((n, r) => n + r.addedNodes.length, 0));
      }).observe(document, { childList: true, subtree: true });
    });
    const after = recordAssets(viewer.page);
    const calls = recordCalls(viewer.page);
    await viewer.page.reload();
    await viewer.page.locator('.message-text', { hasText: 'Hello from a phone' }).waitFor({ timeout: 15_000 });
    await viewer.page.waitForLoadState('networkidle');
    expect(after.some((a) => /\/SignedInApp-/.test(a.url))).toBe(true);
    // The first reads (decision 167) are read once each, not again by the hooks that take them, and the room list
    // and the open room's page are asked for only once the stream's cursor has been answered.
    const asked = (procedure: string) => calls.filter((c) => c.kind === 'asked' && c.procedures.includes(procedure));
    for (const procedure of ['chat.eventCursor', 'room.list', 'thread.list', 'chat.history']) expect(asked(procedure), procedure).toHaveLength(1);
    const cursorAnswered = calls.findIndex((c) => c.kind === 'answered' && c.procedures.includes('chat.eventCursor'));
    expect(cursorAnswered).toBeGreaterThanOrEqual(0);
    expect(calls.indexOf(asked('room.list')[0]!)).toBeGreaterThan(cursorAnswered);
    expect(calls.indexOf(asked('chat.history')[0]!)).toBeGreaterThan(cursorAnswered);
    expect(after.filter((a) => NOT_ON_FIRST_SCREEN.test(a.url)).map((a) => a.url)).toEqual([]);
    // The history's arrival is one commit of the list, not one per query or event settling.
    expect(await viewer.page.evaluate(() => (window as unknown as { listCommits: number[] }).listCommits)).toEqual([1]);

    await viewer.page.getByRole('button', { name: /^Threads/ }).click();
    await viewer.page.getByRole('heading', { name: 'Threads' }).waitFor({ timeout: 10_000 });
    expect(after.some((a) => /\/ThreadsView-/.test(a.url))).toBe(true);
    expect(viewer.errors).toEqual([]);
  }, 40_000);

  it('is installable: a manifest with 192 and 512 pixel icons, one of them maskable, in the theme colour', async () => {
    const html = await (await fetch(suite.server.url)).text();
    expect(html).toContain('<link rel="manifest" href="/manifest.webmanifest"');
    const res = await fetch(`${suite.server.url}/manifest.webmanifest`);
    expect(res.headers.get('content-type')).toBe('application/manifest+json');
    const manifest = (await res.json()) as { name: string; start_url: string; display: string; theme_color: string; icons: { src: string; sizes: string; type: string; purpose?: string }[] };
    expect(manifest).toMatchObject({ name: 'Ember chat', start_url: '/', display: 'standalone' });
    expect(html).toContain(`<meta name="theme-color" content="${manifest.theme_color}"`);
    const pngs = manifest.icons.filter((i) => i.type === 'image/png');
    expect(pngs.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect(pngs.some((i) => i.purpose === 'maskable')).toBe(true);
    for (const icon of pngs) {
      const got = await fetch(`${suite.server.url}${icon.src}`);
      expect(got.headers.get('content-type')).toBe('image/png');
      const { width, height } = pngSize(Buffer.from(await got.arrayBuffer()));
      expect(`${width}x${height}`).toBe(icon.sizes);
    }
  });

  it('answers /robots.txt with a text file that lets crawlers see the login page and nothing else', async () => {
    const res = await fetch(`${suite.server.url}/robots.txt`);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toMatch(/User-agent: \*\nAllow: \/\$\nDisallow: \/\n/);
  });
});
