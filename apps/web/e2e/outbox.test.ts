import { describe, expect, it } from 'vitest';
import { browserTestsReady, loseAnswers, messageTexts, openViewer, screenshots, sendMessage, signUp, type Viewer, useBrowserSuite } from './browser';


const PASSWORD = 'correct horse battery';
const DESKTOP = { width: 1280, height: 800 };
const TYPED = ['offline one', 'offline two', 'offline three'];

describe.runIf(browserTestsReady)('the outbox in a real browser', () => {
  const suite = useBrowserSuite();
  let ada: Viewer;
  let grace: Viewer;

  const status = (v: Viewer) => v.page.locator('.connection-status');
  const stored = () =>
    suite.server.orm.em
      .fork()
      .execute<{ text: string }[]>(`select m.text from messages m join users u on u.id = m.author_id where u.username = 'ada_outbox' and m.text like 'offline %' order by m.id`)
      .then((rows) => rows.map((r) => r.text));

  it('delivers messages sent while the server was down exactly once, in order, across a restart, lost answers and a reload, with no click', async () => {
    ada = await openViewer(suite.browser, suite.server.url, DESKTOP);
    await signUp(ada.page, 'ada_outbox', PASSWORD);
    grace = await openViewer(suite.browser, suite.server.url, DESKTOP);
    await signUp(grace.page, 'grace_outbox', PASSWORD);
    for (const v of [ada, grace]) {
      await expect.poll(() => status(v).getAttribute('data-status'), { timeout: 10_000 }).toBe('connected');
      // The room open (not only the socket), so Grace's view is there to receive.
      await v.page.getByLabel('Message', { exact: true }).waitFor();
    }

    await suite.server.stop();
    await expect.poll(() => status(ada).getAttribute('data-status'), { timeout: 10_000 }).toMatch(/reconnecting|offline/);
    for (const text of TYPED) await sendMessage(ada.page, text);
    await expect.poll(() => ada.page.locator('.message-queued').count(), { timeout: 10_000 }).toBe(3);
    await ada.page.getByLabel('Message', { exact: true }).fill('a draft that must survive');
    await ada.page.screenshot({ path: `${screenshots}/outbox-offline.png` });

    // Back up, but every send's answer is lost on the way back (the server has stored it): the
    // outbox must keep trying the first message, with the same clientMessageId, and not the rest.
    const sends = await loseAnswers(ada.context, (url) => url.pathname.includes('chat.send'));
    await suite.server.start();
    await expect.poll(() => sends.tries, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    await expect.poll(stored, { timeout: 10_000 }).toEqual(['offline one']);

    // A reload before anything was confirmed: the queue and the draft come back from the browser.
    await ada.page.reload();
    await expect.poll(() => status(ada).getAttribute('data-status'), { timeout: 15_000 }).toBe('connected');
    await expect.poll(() => ada.page.getByLabel('Message', { exact: true }).inputValue(), { timeout: 10_000 }).toBe('a draft that must survive');
    await expect.poll(() => ada.page.locator('.message-sending, .message-queued').count(), { timeout: 10_000 }).toBe(2);
    const triesBeforeHealing = sends.tries;
    await expect.poll(() => sends.tries, { timeout: 15_000 }).toBeGreaterThan(triesBeforeHealing);

    // The network heals: the outbox's next try goes through, with no click.
    await sends.heal();
    await expect.poll(stored, { timeout: 20_000 }).toEqual(TYPED);
    const tail = async (v: Viewer) => (await messageTexts(v.page)).filter((t) => t.startsWith('offline '));
    await expect.poll(() => tail(grace), { timeout: 20_000 }).toEqual(TYPED);
    await expect.poll(() => tail(ada), { timeout: 10_000 }).toEqual(TYPED);
    await expect.poll(() => ada.page.locator('.message-sending, .message-queued, .message-failed').count(), { timeout: 10_000 }).toBe(0);
    await ada.page.screenshot({ path: `${screenshots}/outbox-delivered.png` });

    // And once more after everything settled: still once each.
    await ada.page.reload();
    await expect.poll(() => status(ada).getAttribute('data-status'), { timeout: 15_000 }).toBe('connected');
    await expect.poll(() => tail(ada), { timeout: 10_000 }).toEqual(TYPED);
    expect(await stored()).toEqual(TYPED);
    expect(ada.dialogs).toEqual([]);
    // Long: the outbox's own backoff (up to 10 s between tries) runs for real, on a machine shared with other suites.
  }, 240_000);

  it('loses nothing sent right before a reload: the message is kept by the outbox, or its text is back in the composer', async () => {
    const text = 'offline four, sent online';
    await sendMessage(ada.page, text);
    await ada.page.reload(); // no wait: the outbox's IndexedDB write may or may not have committed
    await expect.poll(() => status(ada).getAttribute('data-status'), { timeout: 15_000 }).toBe('connected');
    const box = ada.page.getByLabel('Message', { exact: true });
    if ((await box.inputValue()) === text) await box.press('Enter'); // what the user would do with it
    const four = () => stored().then((texts) => texts.filter((t) => t === text).length);
    await expect.poll(four, { timeout: 30_000 }).toBe(1);
    await ada.page.locator('.message-text', { hasText: text }).waitFor({ timeout: 10_000 });
    expect(await box.inputValue()).toBe('');
    // And settled, the draft stays cleared across another reload.
    await ada.page.reload();
    await expect.poll(() => status(ada).getAttribute('data-status'), { timeout: 15_000 }).toBe('connected');
    expect(await box.inputValue()).toBe('');
    expect(await four()).toBe(1);
  }, 60_000);

  it('sends edits and reactions through the outbox too, and the other side sees them', async () => {
    const message = (v: Viewer, text: string) => v.page.locator('.message', { has: v.page.locator('.message-text', { hasText: text }) });
    await message(ada, 'offline four').waitFor({ timeout: 30_000 }); // the outbox's backoff alone may wait 10 s after a reconnect
    await ada.page.getByLabel('Message', { exact: true }).press('ArrowUp');
    const editor = ada.page.getByRole('textbox', { name: 'Edit message' });
    await editor.fill('offline four, edited');
    await editor.press('Enter');
    await message(grace, 'offline four, edited').locator('.message-edited').waitFor({ timeout: 10_000 });

    const onGrace = message(grace, 'offline one');
    await onGrace.hover();
    await onGrace.getByRole('toolbar', { name: 'Message actions' }).getByRole('button', { name: 'Add a reaction' }).click();
    await grace.page.getByRole('dialog', { name: 'Add a reaction' }).getByRole('button', { name: 'React with 👍' }).click();
    await message(ada, 'offline one').getByRole('button', { name: /^👍\uFE0F? 1: grace_outbox$/u }).waitFor({ timeout: 10_000 });
    await message(grace, 'offline one').getByRole('button', { name: /^👍\uFE0F? 1: you$/u }).waitFor({ timeout: 10_000 });
  }, 60_000);
});
