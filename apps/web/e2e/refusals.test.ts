import type { AppRouter } from '@chat/api';
import { createTRPCClient, httpLink } from '@trpc/client';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserTestsReady, openViewer, screenshots, sendMessage, signUp, type Viewer, useBrowserSuite } from './browser';

const PASSWORD = 'correct horse battery';
const DESKTOP = { width: 1100, height: 800 };

// Issue 23 §2: a refusal says what happened and what to do, a mute and a ban included.
describe.runIf(browserTestsReady)('refusals in a real browser', () => {
  const suite = useBrowserSuite();
  let asOwner: ReturnType<typeof createTRPCClient<AppRouter>>;
  const idOf = async (username: string) => (await asOwner.admin.users.query({ query: username })).users.find((u) => u.username === username)!.id;
  const connected = (v: Viewer) => v.page.locator('[data-status=connected]').waitFor({ timeout: 15_000 });

  beforeAll(async () => {
    const anonymous = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${suite.server.url}/trpc` })] });
    const owner = await anonymous.auth.signup.mutate({ username: 'olivia', password: PASSWORD });
    await suite.server.orm.em.fork().execute(`update users set role = 'owner' where username = 'olivia'`);
    asOwner = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${suite.server.url}/trpc`, headers: { authorization: `Bearer ${owner.token}` } })] });
  }, 60_000);

  it('a muted member who sends reads the mute and its end, not "server error"', async () => {
    const martin = await openViewer(suite.browser, suite.server.url, DESKTOP);
    await signUp(martin.page, 'martin', PASSWORD);
    await connected(martin);
    await asOwner.admin.mute.mutate({ userId: await idOf('martin'), minutes: 30 });
    await sendMessage(martin.page, 'can anyone hear me?');
    const reason = martin.page.getByText(/^Not sent: A moderator muted you until \d{4}-\d\d-\d\d \d\d:\d\d UTC \(30 min left\): you can read but not send\.$/);
    await reason.waitFor({ timeout: 10_000 });
    expect(await martin.page.getByText('server error').count()).toBe(0);
    await martin.page.screenshot({ path: `${screenshots}/refusal-muted.png` });
    await martin.context.close();
  }, 40_000);

  it('a banned member is told it was a ban, with the reason, live and again at login and from an invite link', async () => {
    const mallory = await openViewer(suite.browser, suite.server.url, DESKTOP);
    await signUp(mallory.page, 'mallory', PASSWORD);
    await connected(mallory);
    await asOwner.admin.ban.mutate({ userId: await idOf('mallory'), reason: 'spam links' });
    const sentence = 'You were banned from this server: Spam links. If you think this is a mistake, contact the server’s admins.';
    await mallory.page.getByRole('alert').filter({ hasText: sentence }).waitFor({ timeout: 10_000 });
    expect(await mallory.page.getByText('You were logged out').count()).toBe(0);

    // Logging in again is still refused, with the same sentence.
    await mallory.page.reload();
    await mallory.page.getByText(sentence).waitFor();
    await mallory.page.getByLabel('Username').fill('mallory');
    await mallory.page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await mallory.page.getByLabel('Password', { exact: true }).press('Enter');
    await expect.poll(() => mallory.page.getByText(sentence).count()).toBe(1);
    await mallory.page.screenshot({ path: `${screenshots}/refusal-banned.png` });

    // An invite link opened later in the same browser shows the ban, not a sign-up form for newcomers.
    const invite = await asOwner.admin.createInvite.mutate({ uses: 1 });
    await mallory.page.goto(`${suite.server.url}/?invite=${invite.code}`);
    await mallory.page.getByText(sentence).waitFor();
    expect(await mallory.page.getByRole('button', { name: 'Log in', pressed: true }).count()).toBe(1);
    expect(await mallory.page.getByText('You are signing up with an invite.').count()).toBe(0);
    await mallory.page.screenshot({ path: `${screenshots}/refusal-banned-invite.png` });
    await mallory.context.close();
  }, 60_000);
});
