import type { AppRouter } from '@chat/api';
import { createTRPCClient, httpLink } from '@trpc/client';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserTestsReady, messageTexts, openViewer, screenshots, signUp, type Viewer, useBrowserSuite } from './browser';

const PASSWORD = 'correct horse battery';
const DESKTOP = { width: 1280, height: 800 };
type Client = ReturnType<typeof createTRPCClient<AppRouter>>;

// Issue 23 §3: @ completion, the sidebar with both badges, a long channel name's topic, a promotion seen without a reload.
describe.runIf(browserTestsReady)('rough edges a new user met, in a real browser', () => {
  const suite = useBrowserSuite();
  let ada: Viewer;
  let asOwner: Client;
  let asGrace: Client;
  let adaId: string;
  let asAda: Client;

  beforeAll(async () => {
    const anonymous = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${suite.server.url}/trpc` })] });
    const as = (token: string) => createTRPCClient<AppRouter>({ links: [httpLink({ url: `${suite.server.url}/trpc`, headers: { authorization: `Bearer ${token}` } })] });
    const owner = await anonymous.auth.signup.mutate({ username: 'olivia', password: PASSWORD });
    await suite.server.orm.em.fork().execute(`update users set role = 'owner' where username = 'olivia'`);
    asOwner = as(owner.token);
    asGrace = as((await anonymous.auth.signup.mutate({ username: 'grace.hopper', password: PASSWORD })).token);
    ada = await openViewer(suite.browser, suite.server.url, DESKTOP);
    await signUp(ada.page, 'ada', PASSWORD);
    await ada.page.locator('[data-status=connected]').waitFor({ timeout: 15_000 });
    adaId = (await asOwner.admin.users.query({ query: 'ada' })).users.find((u) => u.username === 'ada')!.id;
    asAda = as(await ada.page.evaluate(() => (JSON.parse(localStorage.getItem('chat.session.v1')!) as { token: string }).token));
  }, 60_000);

  const box = () => ada.page.getByLabel('Message', { exact: true });

  it('@ offers people as one types (the user search in #everyone): Enter inserts, Escape closes', async () => {
    await box().click();
    await box().pressSequentially('thanks @gr');
    const list = ada.page.getByRole('listbox', { name: 'People to mention' });
    await list.getByRole('option', { name: 'grace.hopper' }).waitFor({ timeout: 5_000 });
    expect(await box().getAttribute('aria-activedescendant')).toBe(await list.getByRole('option').first().getAttribute('id'));
    await ada.page.screenshot({ path: `${screenshots}/mention-completion.png` });
    await box().press('Enter');
    expect(await box().inputValue()).toBe('thanks @grace.hopper ');
    expect(await list.count()).toBe(0);
    await box().pressSequentially('and @ol');
    await list.getByRole('option', { name: 'olivia' }).waitFor();
    await box().press('Escape');
    expect(await list.count()).toBe(0);
    await box().pressSequentially('i');
    expect(await list.count()).toBe(0);
    await box().press('Enter');
    await expect.poll(() => messageTexts(ada.page)).toContain('thanks @grace.hopper and @oli');
  }, 30_000);

  it('@ offers a room’s members: ↓ and Enter pick one, a tap inserts another', async () => {
    const team = await asOwner.room.create.mutate({ name: 'design-team', kind: 'channel', topic: 'Mockups and reviews' });
    await Promise.all([asGrace.room.join.mutate({ roomId: team.id }), asAda.room.join.mutate({ roomId: team.id })]);
    await ada.page.locator(`a.room-link[data-room-id="${team.id}"]`).click();
    await ada.page.getByRole('heading', { name: 'design-team' }).waitFor();
    await box().click();
    await box().pressSequentially('@');
    const list = ada.page.getByRole('listbox', { name: 'People to mention' });
    await list.getByRole('option', { name: 'grace.hopper' }).waitFor({ timeout: 5_000 });
    expect(await list.getByRole('option').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('olivia'), expect.stringContaining('grace.hopper')]));
    // ↓ moves to the next person, Enter inserts that one.
    await box().press('ArrowDown');
    expect(await list.getByRole('option', { name: 'olivia' }).getAttribute('aria-selected')).toBe('true');
    await box().press('Enter');
    expect(await box().inputValue()).toBe('@olivia ');
    // A tap (touch) inserts too, keeping the focus in the box.
    await box().pressSequentially('and @g');
    await list.getByRole('option', { name: 'grace.hopper' }).click();
    expect(await box().inputValue()).toBe('@olivia and @grace.hopper ');
    expect(await box().evaluate((el) => el === document.activeElement)).toBe(true);
    await box().fill('');
  }, 30_000);

  it('the sidebar shows "design-team" in full beside both badges at desktop width', async () => {
    await ada.page.locator('a.room-link', { hasText: 'everyone' }).click();
    await ada.page.getByRole('heading', { name: 'everyone' }).waitFor();
    const team = (await asOwner.room.list.query()).find((r) => r.name === 'design-team')!;
    await asGrace.chat.send.mutate({ roomId: team.id, text: 'hi @ada, review please' });
    await asGrace.chat.send.mutate({ roomId: team.id, text: 'second one' });
    const link = ada.page.locator(`a.room-link[data-room-id="${team.id}"]`);
    await link.locator('[data-testid=unread-badge][data-count="2"]').waitFor({ timeout: 10_000 });
    await link.locator('[data-testid=mention-badge][data-count="1"]').waitFor();
    const name = link.locator('.room-link-name');
    expect(await name.innerText()).toBe('design-team');
    // At both desktop widths: the three-column layout (250 px sidebar) and the two-column one below 1100 px (230 px).
    for (const width of [DESKTOP.width, 1024]) {
      await ada.page.setViewportSize({ width, height: DESKTOP.height });
      expect(await name.evaluate((el) => el.scrollWidth <= el.clientWidth), `at ${width} px`).toBe(true);
    }
    await ada.page.locator('.room-sidebar').screenshot({ path: `${screenshots}/sidebar-badges.png` });
    await ada.page.setViewportSize(DESKTOP);
  }, 30_000);

  it('a long channel name leaves its topic readable', async () => {
    const long = await asOwner.room.create.mutate({ name: 'architecture-decisions-archive-x', kind: 'channel', topic: 'Accepted and superseded records, one per decision' });
    await asAda.room.join.mutate({ roomId: long.id });
    await ada.page.locator(`a.room-link[data-room-id="${long.id}"]`).click();
    const topic = ada.page.locator('.room-topic');
    await topic.waitFor();
    expect(await topic.evaluate((el) => el.clientWidth)).toBeGreaterThan(250);
    await ada.page.locator('.room-header').screenshot({ path: `${screenshots}/room-header-long-name.png` });
  }, 30_000);

  it('a promotion shows "Administration…" in the open tab, without a reload', async () => {
    const menu = ada.page.getByRole('button', { name: 'ada', exact: true });
    await menu.click();
    await ada.page.getByRole('menuitem', { name: 'Log out', exact: true }).waitFor();
    expect(await ada.page.getByRole('menuitem', { name: 'Administration…' }).count()).toBe(0);
    await menu.click();
    await asOwner.admin.setRole.mutate({ userId: adaId, role: 'admin' });
    await menu.click();
    await ada.page.getByRole('menuitem', { name: 'Administration…' }).waitFor({ timeout: 5_000 });
    expect(ada.errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  }, 30_000);
});
