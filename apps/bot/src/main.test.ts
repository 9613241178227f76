import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type ChatMessage, createChatClient } from '@chat/client';
import { startTestServer, type TestServer } from '@chat/server/testing';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';

// Polls longer than vitest's 1 s default: the whole suite shares two cores and a database.
const eventually = <T>(fn: () => T, opts: { timeout?: number } = {}) => expect.poll(fn, { timeout: 5_000, ...opts });

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl') });
});
afterAll(() => server?.dispose());

const appDir = fileURLToPath(new URL('..', import.meta.url));
const password = 'correct horse battery';

/** `pnpm bot` without pnpm in between, so the signal reaches the bot itself. */
function runBot(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: appDir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => lines.push(...chunk.split('\n').filter(Boolean)));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, lines, stderr: () => stderr, exited };
}

const exitWithin = (exited: Promise<number | null>, ms: number, child: ChildProcess) =>
  Promise.race([exited, new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), ms))]).finally(() => child.kill('SIGKILL'));

it('runs from the command line, answers, and exits on SIGTERM with nothing left open', async () => {
  const botName = `cli-bot-${Date.now().toString(36).slice(-5)}`;
  const bot = runBot({ CHAT_URL: server.url, BOT_USERNAME: botName, BOT_PASSWORD: password });
  await eventually(() => bot.lines.some((l) => / info listening /.test(l)), { timeout: 20_000 }).toBe(true);

  const human = await createChatClient({ url: server.url, username: `cli-human-${Date.now().toString(36).slice(-5)}`, password, signup: true });
  const seen: ChatMessage[] = [];
  await human.onMessage((m) => void seen.push(m)).ready;
  const command = await human.chat.send.mutate({ text: '/roll 1d6' });
  await eventually(() => seen.find((m) => m.clientMessageId === `reply-${command.id}`)?.text, { timeout: 10_000 }).toMatch(/rolled 1d6: [1-6]$/);
  await human.close();

  bot.child.kill('SIGTERM');
  // No process.exit() in main.ts: exiting on its own proves close() left no socket or timer behind.
  expect(await exitWithin(bot.exited, 10_000, bot.child)).toBe(0);
  expect(bot.lines.at(-1)).toMatch(/ info stopped$/);
  for (const line of bot.lines) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\S+Z (info|warn|error) [a-z-]+( |$)/);
  expect(bot.stderr()).toBe('');
});

it('exits with an error line when its password is wrong', async () => {
  const name = `taken-${Date.now().toString(36).slice(-5)}`;
  const owner = await createChatClient({ url: server.url, username: name, password, signup: true });
  await owner.close();
  const bot = runBot({ CHAT_URL: server.url, BOT_USERNAME: name, BOT_PASSWORD: 'not the password' });
  expect(await exitWithin(bot.exited, 15_000, bot.child)).toBe(1);
  expect(bot.lines.join('\n')).toMatch(/ error could not start .*Wrong username or password/);
});
