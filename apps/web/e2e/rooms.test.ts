import type { Page, WebSocketRoute } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserTestsReady, messageTexts, openViewer, screenshots, sendMessage, signUp, type Viewer, useBrowserSuite } from './browser';


const PASSWORD = 'correct horse battery';
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
/** Small, so one test can fall further behind than the server replays. */
const REPLAY_LIMIT = 10;

const sidebar = (page: Page) => page.getByRole('navigation', { name: 'Rooms' });
const roomLink = (page: Page, name: string | RegExp) => sidebar(page).getByRole('link', { name });
const badgeOf = (page: Page, name: string | RegExp) => roomLink(page, name).getByTestId('unread-badge');
/**
 * The unread count a room's badge shows; 0 when it has none. Read in one step: a count() then a
 * getAttribute() on a badge that goes in between (the very change a poll waits for) would wait
 * for it to come back, for Playwright's default 30 s, far past the poll's timeout.
 */
const unreadOf = async (page: Page, name: string | RegExp) => {
  const [count = 0] = await badgeOf(page, name).evaluateAll((badges) => badges.map((b) => Number(b.getAttribute('data-count'))));
  return count;
};
const roomTitle = (page: Page) => page.locator('#room-title').innerText();
const roomIdOf = (page: Page) => new URL(page.url()).pathname.replace(/^\/r\//, '');

/** Two frames: the page has painted its last change (a screenshot right after a click can show the frame before). */
const settle = (page: Page) => page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));

async function connected(page: Page) {
  await page.locator('[data-status=connected]').waitFor({ timeout: 15_000 });
}

describe.runIf(browserTestsReady)('rooms and direct messages in a real browser', () => {
  const suite = useBrowserSuite({ eventReplayLimit: REPLAY_LIMIT });
  let ada: Viewer;
  let grace: Viewer;
  let carol: Viewer;
  let channelId = '';
  let dmId = '';

  beforeAll(async () => {
    ada = await openViewer(suite.browser, suite.server.url, DESKTOP);
    await signUp(ada.page, 'ada_lovelace', PASSWORD);
    grace = await openViewer(suite.browser, suite.server.url, DESKTOP);
    await signUp(grace.page, 'grace.hopper', PASSWORD);
    await Promise.all([connected(ada.page), connected(grace.page)]);
  }, 60_000);

  it('opens #everyone by default, listed under Channels', async () => {
    expect(await roomTitle(ada.page)).toContain('everyone');
    expect(await roomLink(ada.page, /everyone/).getAttribute('aria-current')).toBe('page');
  });

  it('creates a channel, refusing a bad name before sending it', async () => {
    await ada.page.getByRole('button', { name: /New room/ }).click();
    const dialog = ada.page.getByRole('dialog', { name: 'New room' });
    await dialog.getByLabel('Name').fill('moth log!');
    await dialog.getByRole('button', { name: 'Create room' }).click();
    await dialog.getByText('Room name may only use letters, digits, "_", "." and "-"').waitFor();
    await dialog.getByLabel('Name').fill('compilers');
    await dialog.getByLabel('Topic (optional)').fill('A-0, FLOW-MATIC and friends');
    await dialog.getByRole('button', { name: 'Create room' }).click();
    await expect.poll(() => roomTitle(ada.page)).toContain('compilers');
    await ada.page.getByText('A-0, FLOW-MATIC and friends').waitFor();
    channelId = roomIdOf(ada.page);
    expect(channelId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await roomLink(ada.page, /compilers/).getAttribute('aria-current')).toBe('page');
  }, 20_000);

  it('lets the other person find the channel in the directory, join it and chat there', async () => {
    await grace.page.getByRole('button', { name: 'Browse channels' }).click();
    const dialog = grace.page.getByRole('dialog', { name: 'Browse channels' });
    await dialog.getByLabel('Search channels').fill('comp');
    await dialog.getByRole('button', { name: 'Join compilers' }).click();
    await expect.poll(() => roomTitle(grace.page)).toContain('compilers');
    expect(roomIdOf(grace.page)).toBe(channelId);

    await sendMessage(ada.page, 'Welcome to #compilers, Grace');
    await grace.page.locator('.message-other', { hasText: 'Welcome to #compilers' }).waitFor();
    await sendMessage(grace.page, 'Thanks! The A-0 tapes are in the cabinet');
    await ada.page.locator('.message-other', { hasText: 'A-0 tapes' }).waitFor();
    // The channel's messages stay in the channel.
    await roomLink(ada.page, /everyone/).click();
    await expect.poll(() => roomTitle(ada.page)).toContain('everyone');
    expect(await ada.page.locator('.message-text', { hasText: 'A-0 tapes' }).count()).toBe(0);
  }, 30_000);

  it('counts unread messages per room, draws the line where the reader left off, and clears the badge on reading', async () => {
    // Grace reads #everyone while Ada writes in #compilers.
    await roomLink(grace.page, /everyone/).click();
    await expect.poll(() => roomTitle(grace.page)).toContain('everyone');
    await roomLink(ada.page, /compilers/).click();
    await sendMessage(ada.page, 'First unread: the linker is fixed');
    await sendMessage(ada.page, 'Second unread: and the loader too');
    await expect.poll(() => unreadOf(grace.page, /compilers/), { timeout: 10_000 }).toBe(2);
    // Ordered by activity: the busy channel is listed above #everyone.
    const channelNames = await sidebar(grace.page).getByRole('region', { name: 'Channels' }).getByRole('link').allInnerTexts();
    expect(channelNames[0]).toContain('compilers');

    await roomLink(grace.page, /compilers/).click();
    const divider = grace.page.getByTestId('new-messages-divider');
    await divider.waitFor();
    // The line sits right above the first unread message.
    const next = await divider.evaluate((el) => el.nextElementSibling?.textContent ?? '');
    expect(next).toContain('First unread');
    await expect.poll(() => unreadOf(grace.page, /compilers/)).toBe(0);
  }, 30_000);

  it('clears a badge on the user’s other tab when one tab reads the room', async () => {
    const second = await grace.context.newPage();
    await second.goto(suite.server.url);
    await connected(second);
    await roomLink(grace.page, /everyone/).click();
    await expect.poll(() => roomTitle(grace.page)).toContain('everyone');
    await sendMessage(ada.page, 'Both of your tabs should see this one');
    await expect.poll(() => unreadOf(grace.page, /compilers/), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => unreadOf(second, /compilers/), { timeout: 10_000 }).toBe(1);
    // Only a tab on screen marks messages read.
    await grace.page.bringToFront();
    await roomLink(grace.page, /compilers/).click();
    await grace.page.locator('.message-text', { hasText: 'Both of your tabs' }).waitFor();
    // Read on one tab: the server tells the other (read.updated) and its badge goes.
    await expect.poll(() => unreadOf(second, /compilers/), { timeout: 10_000 }).toBe(0);
    await second.close();
  }, 40_000);

  it('opens a direct message from a profile or a search result, never twice, and delivers it only to the pair', async () => {
    const search = ada.page.getByRole('combobox', { name: 'Find people' });
    await search.fill('grace');
    await ada.page.getByRole('row', { name: /grace\.hopper/ }).getByText('grace.hopper', { exact: true }).click();
    await ada.page.getByRole('region', { name: 'Profile of grace.hopper' }).getByRole('button', { name: 'Message' }).click();
    await expect.poll(() => roomTitle(ada.page)).toContain('grace.hopper');
    dmId = roomIdOf(ada.page);
    await sendMessage(ada.page, 'Just between us: the moth is in the log book');
    await expect.poll(() => unreadOf(grace.page, /ada_lovelace/), { timeout: 10_000 }).toBe(1);
    await roomLink(grace.page, /ada_lovelace/).click();
    await grace.page.locator('.message-other', { hasText: 'the moth is in the log book' }).waitFor();
    expect(roomIdOf(grace.page)).toBe(dmId);
    await sendMessage(grace.page, 'Our secret');
    await ada.page.locator('.message-other', { hasText: 'Our secret' }).waitFor();

    // Grace opening the DM from her search result for Ada, by keyboard (→ to "Message", Enter), finds the same room.
    await roomLink(grace.page, /everyone/).click();
    const graceSearch = grace.page.getByRole('combobox', { name: 'Find people' });
    await graceSearch.fill('ada');
    const messageAda = grace.page.getByRole('gridcell', { name: 'Message ada_lovelace' });
    await messageAda.waitFor();
    await graceSearch.press('ArrowRight');
    expect(await graceSearch.getAttribute('aria-activedescendant')).toBe(await messageAda.getAttribute('id'));
    await graceSearch.press('Enter');
    await expect.poll(() => roomIdOf(grace.page)).toBe(dmId);
    // No "Message" on one's own result.
    await graceSearch.fill('grace');
    await grace.page.getByRole('row', { name: /grace\.hopper/ }).waitFor();
    expect(await grace.page.getByRole('gridcell', { name: /^Message/ }).count()).toBe(0);
    await graceSearch.fill('');
    expect(await sidebar(grace.page).getByRole('region', { name: 'Direct messages' }).getByRole('link').count()).toBe(1);
  }, 30_000);

  it('hides the DM from a third person: not in their list, and its link says not found', async () => {
    carol = await openViewer(suite.browser, suite.server.url, DESKTOP);
    await signUp(carol.page, 'carol_shaw', PASSWORD);
    await connected(carol.page);
    await roomLink(carol.page, /everyone/).waitFor();
    expect(await sidebar(carol.page).getByRole('link', { name: /ada_lovelace|grace\.hopper/ }).count()).toBe(0);
    await carol.page.goto(`${suite.server.url}/r/${dmId}`);
    await carol.page.getByRole('heading', { name: 'Room not found' }).waitFor({ timeout: 10_000 });
    await carol.page.getByText('does not exist, or you do not have access').waitFor();
    expect(await carol.page.locator('.message-text', { hasText: 'Our secret' }).count()).toBe(0);
    await carol.page.getByRole('button', { name: 'Go to #everyone' }).click();
    await expect.poll(() => roomTitle(carol.page)).toContain('everyone');
  }, 30_000);

  it('opens a room from its deep link, and Back returns to the previous room', async () => {
    const page = await grace.context.newPage();
    await page.goto(`${suite.server.url}/r/${channelId}`);
    await expect.poll(() => roomTitle(page), { timeout: 10_000 }).toContain('compilers');
    await page.locator('.message-text', { hasText: 'the linker is fixed' }).waitFor();
    await roomLink(page, /everyone/).click();
    await expect.poll(() => roomTitle(page)).toContain('everyone');
    await page.goBack();
    await expect.poll(() => roomTitle(page)).toContain('compilers');
    await page.close();
  }, 30_000);

  it('keeps a private room to its members: added live, removed live', async () => {
    await ada.page.getByRole('button', { name: /New room/ }).click();
    const dialog = ada.page.getByRole('dialog', { name: 'New room' });
    await dialog.getByLabel('Name').fill('skunkworks');
    await dialog.getByLabel(/Private room/).check();
    await dialog.getByRole('button', { name: 'Create room' }).click();
    await expect.poll(() => roomTitle(ada.page)).toContain('skunkworks');
    const privateId = roomIdOf(ada.page);

    await ada.page.getByRole('button', { name: 'Add people' }).click();
    const invite = ada.page.getByRole('dialog', { name: /Add people/ });
    await invite.getByLabel('Search people to add').fill('grace');
    await invite.getByRole('button', { name: 'Add grace.hopper' }).click();
    await invite.getByText('grace.hopper was added.').waitFor();
    await invite.getByRole('button', { name: 'Done' }).click();
    await roomLink(grace.page, /skunkworks/).waitFor({ timeout: 10_000 });
    expect(await roomLink(carol.page, /skunkworks/).count()).toBe(0);

    await roomLink(grace.page, /skunkworks/).click();
    await expect.poll(() => roomTitle(grace.page)).toContain('skunkworks');
    await ada.page.getByRole('button', { name: /members?$/ }).click();
    await ada.page.getByRole('button', { name: 'Remove grace.hopper' }).click();
    // Grace was in the room: she is taken out of it and told.
    await grace.page.getByText('You are no longer a member of that room.').waitFor({ timeout: 10_000 });
    await expect.poll(() => roomLink(grace.page, /skunkworks/).count()).toBe(0);
    await grace.page.goto(`${suite.server.url}/r/${privateId}`);
    await grace.page.getByRole('heading', { name: 'Room not found' }).waitFor({ timeout: 10_000 });
    await grace.page.goto(suite.server.url);
    await connected(grace.page);
  }, 40_000);

  it('lets the creator rename a channel and change its topic, seen live by members; others have no Edit', async () => {
    await roomLink(ada.page, /compilers/).click();
    await roomLink(grace.page, /compilers/).click();
    await expect.poll(() => roomTitle(grace.page)).toContain('compilers');
    expect(await grace.page.getByRole('button', { name: 'Edit', exact: true }).count()).toBe(0);
    await ada.page.getByRole('button', { name: 'Edit', exact: true }).click();
    const dialog = ada.page.getByRole('dialog', { name: 'Edit room' });
    await dialog.getByLabel('Name').fill('compilers-club');
    await dialog.getByLabel('Topic').fill('Compilers, linkers and loaders');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => roomTitle(grace.page), { timeout: 10_000 }).toContain('compilers-club');
    await grace.page.getByText('Compilers, linkers and loaders').waitFor();
    await roomLink(grace.page, /compilers-club/).waitFor();
  }, 20_000);

  it('shows typing only in its room and writes the README screenshots', async () => {
    await roomLink(ada.page, /compilers/).click();
    await roomLink(grace.page, /compilers/).click();
    await sendMessage(ada.page, 'Shall we write the manual next?');
    await grace.page.locator('.message-other', { hasText: 'manual next' }).waitFor();
    await grace.page.getByLabel('Message', { exact: true }).pressSequentially('Yes, with examples', { delay: 20 });
    await expect.poll(() => ada.page.getByTestId('typing-indicator').innerText(), { timeout: 5_000 }).toBe('grace.hopper is typing…');
    // Carol, in #everyone, does not see typing in a room she is not in.
    expect(await carol.page.getByTestId('typing-indicator').innerText()).toBe('');
    await sendMessage(carol.page, 'Anyone up for lunch?');
    await expect.poll(() => unreadOf(ada.page, /everyone/), { timeout: 10_000 }).toBe(1);
    await settle(ada.page);
    await ada.page.screenshot({ path: `${screenshots}/rooms-desktop.png` });
    await grace.page.getByLabel('Message', { exact: true }).press('Enter');

    await roomLink(ada.page, /grace\.hopper/).click();
    await ada.page.locator('.message-text', { hasText: 'Our secret' }).waitFor();
    await settle(ada.page);
    await ada.page.screenshot({ path: `${screenshots}/rooms-dm.png` });

    await grace.page.setViewportSize(PHONE);
    await grace.page.getByRole('button', { name: /^Rooms/ }).click();
    await sidebar(grace.page).waitFor();
    await settle(grace.page);
    await grace.page.screenshot({ path: `${screenshots}/rooms-phone.png` });
    await roomLink(grace.page, /everyone/).click();
    await expect.poll(() => sidebar(grace.page).isVisible()).toBe(false);

    const unexpected = (v: Viewer) => v.errors.filter((e) => !/WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource/.test(e));
    expect([...unexpected(ada), ...unexpected(grace), ...unexpected(carol)]).toEqual([]);
  }, 40_000);

  it('catches up after falling too far behind: on resync it reads the room list and the open room again', async () => {
    const context = await suite.browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    // The socket goes through here: cut it, and hold the reconnect (its subscription with the old
    // lastEventId included) until the user comes back.
    let away = false;
    let comeBack = () => undefined as void;
    const back = new Promise<void>((resolve) => (comeBack = resolve));
    const sockets: { page: WebSocketRoute; upstream: () => WebSocketRoute | null }[] = [];
    await page.routeWebSocket(/\/ws(\?|$)/, (ws) => {
      const held: (string | Buffer)[] = [];
      let upstream: WebSocketRoute | null = null;
      sockets.push({ page: ws, upstream: () => upstream });
      const connect = () => {
        const to = ws.connectToServer();
        upstream = to;
        to.onMessage((m) => ws.send(m));
        for (const m of held.splice(0)) to.send(m);
      };
      ws.onMessage((m) => (upstream ? upstream.send(m) : held.push(m)));
      if (away) void back.then(connect);
      else connect();
    });
    await page.goto(suite.server.url);
    await signUp(page, 'dave_cutler', PASSWORD);
    await connected(page);
    expect(sockets.length).toBeGreaterThan(0);
    await roomLink(ada.page, /everyone/).click();
    await expect.poll(() => roomTitle(ada.page)).toContain('everyone');

    away = true;
    await Promise.all(sockets.splice(0).flatMap((s) => [s.page.close({ code: 1001, reason: 'away' }), s.upstream()?.close({ code: 1001, reason: 'away' })]));
    // The app tries again at once; that socket waits here.
    await expect.poll(() => sockets.length).toBe(1);
    const missed = Array.from({ length: REPLAY_LIMIT + 4 }, (_, i) => `while dave was away ${i}`);
    for (const text of missed) await sendMessage(ada.page, text);
    await ada.page.locator('.message-own', { hasText: missed.at(-1) }).waitFor();
    away = false;
    comeBack();

    // Too far behind to replay: the server says resync, and the app reads #everyone again.
    await connected(page);
    await page.locator('.message-text', { hasText: missed.at(-1) }).waitFor({ timeout: 15_000 });
    const texts = await messageTexts(page);
    const missedIn = (list: string[]) => list.filter((t) => t.startsWith('while dave was away'));
    // Every one, in the order the server stored them (concurrent sends may land in another order than typed).
    expect([...missedIn(texts)].sort()).toEqual([...missed].sort());
    await expect.poll(async () => missedIn(await messageTexts(ada.page))).toEqual(missedIn(texts));
    expect(new Set(texts).size, `duplicates in ${texts.join(' | ')}`).toBe(texts.length);
    await context.close();
  }, 60_000);
});
