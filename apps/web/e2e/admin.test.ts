import type { AppRouter } from '@chat/api';
import { createTRPCClient, httpLink } from '@trpc/client';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserTestsReady, openViewer, screenshots, signUp, type Viewer, useBrowserSuite } from './browser';

const PASSWORD = 'correct horse battery';

// Issue 16: the admin screen, shown only to admins and owners, drives the admin.* procedures.
describe.runIf(browserTestsReady)('the admin screen in a real browser', () => {
  const suite = useBrowserSuite();
  let owner: Viewer;
  let member: Viewer;
  let mallory: { token: string; user: { id: string } };
  let trudy: { token: string; user: { id: string } };

  beforeAll(async () => {
    const anonymous = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${suite.server.url}/trpc` })] });
    mallory = await anonymous.auth.signup.mutate({ username: 'mallory', password: PASSWORD });
    trudy = await anonymous.auth.signup.mutate({ username: 'trudy', password: PASSWORD });
    [owner, member] = await Promise.all([openViewer(suite.browser, suite.server.url, { width: 1100, height: 800 }), openViewer(suite.browser, suite.server.url, { width: 1100, height: 800 })]);
    await signUp(owner.page, 'olivia', PASSWORD);
    await signUp(member.page, 'martin', PASSWORD);
    await Promise.all([owner.page.locator('[data-status=connected]').waitFor(), member.page.locator('[data-status=connected]').waitFor()]);
    // What `pnpm user:role olivia owner` does (its own test spawns it); then the page asks again.
    await suite.server.orm.em.fork().execute(`update users set role = 'owner' where username = 'olivia'`);
    await owner.page.reload();
    await owner.page.locator('[data-status=connected]').waitFor();
  }, 60_000);

  it('is offered to owners only', async () => {
    await member.page.getByRole('button', { name: 'martin' }).click();
    await member.page.getByRole('menuitem', { name: 'Log out', exact: true }).waitFor();
    expect(await member.page.getByRole('menuitem', { name: 'Administration…' }).count()).toBe(0);
    await owner.page.getByRole('button', { name: 'olivia' }).click();
    await owner.page.getByRole('menuitem', { name: 'Administration…' }).click();
    await owner.page.getByRole('dialog', { name: 'Administration' }).waitFor();
  }, 20_000);

  it('bans a user with a reason, which ends their session', async () => {
    const page = owner.page;
    await page.getByLabel('Find a user').fill('mall');
    const row = page.getByRole('list', { name: 'Users' }).getByRole('listitem').filter({ hasText: 'mallory' });
    await row.getByRole('button', { name: 'Ban…' }).click();
    await row.getByLabel('Why ban mallory?', { exact: false }).fill('spam links');
    await row.getByRole('button', { name: 'Ban mallory' }).click();
    await row.getByText('banned: spam links').waitFor();
    const asMallory = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${suite.server.url}/trpc`, headers: { authorization: `Bearer ${mallory.token}` } })] });
    await expect(asMallory.auth.me.query()).rejects.toThrow(/banned \(spam links\)/);
  }, 20_000);

  it('switches registration to invite only and makes an invite link that signs a newcomer up', async () => {
    const page = owner.page;
    await page.getByRole('tab', { name: 'Registration' }).click();
    await page.getByRole('radio', { name: /Invite only/ }).click();
    await expect.poll(() => suite.server.orm.em.fork().execute(`select value from server_settings where key = 'registration_mode'`)).toEqual([{ value: 'invite' }]);
    await page.getByRole('button', { name: 'Create invite' }).click();
    const link = await page.locator('.admin-created code').innerText();
    expect(link).toMatch(new RegExp(`^${suite.server.url}/\\?invite=[A-Za-z0-9_-]{16}$`));

    const newcomer = await openViewer(suite.browser, link, { width: 900, height: 700 });
    await newcomer.page.getByText('You are signing up with an invite.').waitFor({ timeout: 5_000 });
    await newcomer.page.getByLabel('Username').fill('nadia');
    await newcomer.page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await newcomer.page.getByLabel('Password', { exact: true }).press('Enter');
    await newcomer.page.locator('[data-status=connected]').waitFor({ timeout: 10_000 });
    await newcomer.context.close();
    // Shown again, the list is read again.
    await page.getByRole('tab', { name: 'Users' }).click();
    await page.getByRole('tab', { name: 'Registration' }).click();
    await page.getByRole('list', { name: 'Invites' }).getByText('Used by nadia').waitFor({ timeout: 5_000 });
  }, 30_000);

  it('shows the audit log, newest first, and writes the screenshot', async () => {
    const page = owner.page;
    await page.getByRole('tab', { name: 'Audit log' }).click();
    const entries = page.getByRole('list', { name: 'Audit log' }).getByRole('listitem');
    await entries.first().waitFor();
    expect(await entries.allInnerTexts()).toEqual([
      expect.stringContaining('olivia created an invite for 1 sign-up'),
      expect.stringContaining('olivia set registration to invite (was open)'),
      expect.stringMatching(/olivia banned mallory[\s\S]*“spam links”/),
    ]);
    await page.getByRole('tab', { name: 'Users' }).click();
    await page.getByRole('list', { name: 'Users' }).getByText('mallory', { exact: true }).waitFor();
    await page.screenshot({ path: `${screenshots}/admin.png` });
    expect(owner.errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  }, 20_000);

  it('a member reports a message; the owner deletes it from the Reports tab and removes another from the chat', async () => {
    const asTrudy = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${suite.server.url}/trpc`, headers: { authorization: `Bearer ${trudy.token}` } })] });
    await asTrudy.chat.send.mutate({ text: 'zapword you are all fools' });
    await asTrudy.chat.send.mutate({ text: 'blorpword second insult' });
    const message = (page: typeof member.page, text: string) => page.locator('.message', { has: page.locator('.message-text', { hasText: text }) });
    const act = async (page: typeof member.page, text: string, name: string) => {
      await message(page, text).hover();
      await message(page, text).getByRole('toolbar', { name: 'Message actions' }).getByRole('button', { name }).click();
    };

    // martin closes his menu, reports the first message with a reason.
    await member.page.keyboard.press('Escape');
    await message(member.page, 'zapword').waitFor();
    await act(member.page, 'zapword', 'Report message');
    const report = member.page.getByRole('dialog', { name: 'Report trudy’s message' });
    await report.getByLabel('What is wrong with it?').fill('insults everyone');
    await report.getByRole('button', { name: 'Report', exact: true }).click();
    await report.getByText('Thanks: the server’s admins will look at it.').waitFor();
    await report.getByRole('button', { name: 'Close', exact: true }).click();

    // olivia sees it in context in the Reports tab, and deletes the message.
    const page = owner.page;
    await page.getByRole('tab', { name: 'Reports' }).click();
    const row = page.getByRole('list', { name: 'Open reports' }).getByRole('listitem').filter({ hasText: 'insults everyone' }).first();
    await row.getByText('zapword you are all fools').waitFor();
    await row.getByText('martin').first().waitFor();
    await page.screenshot({ path: `${screenshots}/admin-reports.png` });
    // The count of open reports on its tab, and a deletion asked once more before it happens.
    await page.getByRole('tab', { name: /^Reports/ }).locator('.admin-tab-count', { hasText: '1 open' }).waitFor();
    await row.getByRole('button', { name: 'Delete message…' }).click();
    await row.getByRole('group', { name: 'Confirm deletion' }).getByText('Delete trudy’s message for everyone in #everyone?', { exact: false }).waitFor();
    await page.screenshot({ path: `${screenshots}/admin-report-confirm.png` });
    await row.getByRole('button', { name: 'Delete for everyone' }).click();
    await page.getByText('No open reports.').waitFor();
    await member.page.locator('.message-deleted-text', { hasText: 'Removed by a moderator' }).waitFor();
    expect(await member.page.locator('.message-text', { hasText: 'zapword' }).count()).toBe(0);

    // As an owner she moderates #everyone: Remove… on trudy's other message, with a reason.
    await page.getByRole('dialog', { name: 'Administration' }).getByRole('button', { name: 'Close', exact: true }).click();
    await act(page, 'blorpword', 'Remove message (moderator)');
    const remove = page.getByRole('dialog', { name: 'Remove trudy’s message?' });
    await remove.getByLabel('Why? (kept in the audit log)').fill('second insult');
    await remove.getByRole('button', { name: 'Remove', exact: true }).click();
    await expect.poll(() => member.page.locator('.message-deleted-text', { hasText: 'Removed by a moderator' }).count()).toBe(2);
    // martin sees no remove action on others' messages (he moderates nothing here).
    await member.page.locator('.message').first().hover();
    expect(await member.page.getByRole('button', { name: 'Remove message (moderator)' }).count()).toBe(0);

    const audit = await suite.server.orm.em.fork().execute<{ action: string; reason: string | null }[]>(`select action, reason from audit_log where action in ('message.delete', 'report.delete') order by id`);
    // One action, one entry: the report deletion is audited once, as report.delete (decision 112).
    expect(audit).toEqual([
      { action: 'report.delete', reason: null },
      { action: 'message.delete', reason: 'second insult' },
    ]);
    expect(owner.errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  }, 40_000);
});
