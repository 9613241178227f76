import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startTestServer, type TestServer, type TestServerOptions } from '@chat/server/testing';
import { chromium, type Browser, type BrowserContext, type Page, type Route } from 'playwright-core';
import { afterAll, beforeAll, inject, onTestFinished } from 'vitest';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless; the background-networking flags keep it off the (closed) internet. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export const hasChromium = () => existsSync(CHROMIUM_PATH);

/** The production build the browser tests load (`pnpm --filter @chat/web build`), and where they leave screenshots. */
export const webDist = fileURLToPath(new URL('../dist', import.meta.url));
export const screenshots = fileURLToPath(new URL('../screenshots', import.meta.url));

function browserTestsCanRun(): boolean {
  const built = existsSync(`${webDist}/index.html`);
  if (built && hasChromium()) return true;
  const why = !built ? 'apps/web/dist is not built (run `pnpm --filter @chat/web build`)' : `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium)`;
  // CI must run these; locally a missing build or browser only skips them, loudly.
  if (process.env.CI) throw new Error(`Browser tests cannot run: ${why}`);
  console.warn(`Skipping browser tests: ${why}`);
  return false;
}

/** Whether the browser tests run here: `describe.runIf(browserTestsReady)`. */
export const browserTestsReady = browserTestsCanRun();

export interface BrowserSuite {
  /** The server of this file's tests, serving the production build; read inside tests and hooks. */
  readonly server: TestServer;
  /** One Chromium for the file; each viewer is a context of it. */
  readonly browser: Browser;
}

/**
 * A browser test file's server and Chromium: both started before its tests (and before the file's
 * own beforeAll hooks registered after this call), both closed after them. `options` go to the
 * server (a short token lifetime, files, a replay limit…).
 */
export function useBrowserSuite(options: Omit<TestServerOptions, 'adminDatabaseUrl' | 'webDistDir'> = {}): BrowserSuite {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    [server, browser] = await Promise.all([startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), webDistDir: webDist, ...options }), launchChromium()]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useBrowserSuite: read server and browser inside a test or hook');
    return value;
  };
  return {
    get server() {
      return started(server);
    },
    get browser() {
      return started(browser);
    },
  };
}

export interface Viewer {
  context: BrowserContext;
  page: Page;
  /** alert/confirm/prompt dialogs the page opened: must stay empty. */
  dialogs: string[];
  /** Uncaught page errors and console errors, for diagnosing a failure. */
  errors: string[];
}

export async function openViewer(browser: Browser, url: string, viewport: { width: number; height: number }): Promise<Viewer> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, reducedMotion: 'reduce' });
  const page = await context.newPage();
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(url);
  return { context, page, dialogs, errors };
}

export async function signUp(page: Page, username: string, password: string) {
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Password', { exact: true }).press('Enter');
}

export async function sendMessage(page: Page, text: string) {
  const box = page.getByLabel('Message', { exact: true });
  await box.fill(text);
  await box.press('Enter');
}

/** "New message" in the sidebar: one person picked opens a DM, more a group DM. */
export async function startConversation(page: Page, usernames: readonly string[]) {
  await page.getByRole('button', { name: 'New message' }).click();
  const dialog = page.getByRole('dialog', { name: 'New message' });
  for (const username of usernames) {
    await dialog.getByLabel('Search people').fill(username);
    await dialog.getByRole('button', { name: `Add ${username}` }).click();
  }
  await dialog.getByRole('button', { name: usernames.length > 1 ? `Start group of ${usernames.length + 1}` : 'Message' }).click();
  await dialog.waitFor({ state: 'detached' });
}

/** The Settings dialog, from the account menu. */
export async function openSettings(page: Page) {
  await page.locator('.account-chip').click();
  await page.getByRole('menuitem', { name: 'Settings…' }).click();
  return page.locator('dialog.settings-dialog');
}

/** The message bubbles' texts, in order. */
export const messageTexts = (page: Page) => page.locator('.message-items .message-text').allInnerTexts();

/**
 * Every request `matches` picks reaches the server, and its answer is lost on the way back (a connection cut after
 * the server stored it), until `heal()`: what an outbox must survive by trying again with the same id. `tries`
 * counts them. Healed when the test ends whatever happens, so the tests after it start with a working network.
 */
export async function loseAnswers(context: BrowserContext, matches: (url: URL) => boolean) {
  const lost = { tries: 0, heal: () => context.unroute(matches, loseAnswer) };
  async function loseAnswer(route: Route) {
    lost.tries++;
    await route.fetch().catch(() => undefined);
    await route.abort('connectionreset').catch(() => undefined);
  }
  await context.route(matches, loseAnswer);
  onTestFinished(() => lost.heal());
  return lost;
}
