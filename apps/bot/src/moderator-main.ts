import { type ChatClient, createChatClient } from '@chat/client';
import { retryEvent } from './bot';
import { loadModeratorEnv } from './env';
import { createLogger, errorMessage } from './log';
import { type ModeratorBot, startModeratorBot } from './moderator';
import { retryTransient } from './retry';

// `pnpm --filter @chat/bot moderator`: the moderator bot (README, "A moderator bot").
const log = createLogger();
const env = loadModeratorEnv();

let client: ChatClient | null = null;
let bot: ModeratorBot | null = null;
let stopping: Promise<void> | null = null;

function stop(reason: string, exitCode = 0) {
  process.exitCode ||= exitCode;
  stopping ??= (async () => {
    log.info('stopping', { reason });
    await bot?.stop();
    await client?.close();
    log.info('stopped');
  })();
  return stopping;
}

async function start() {
  const connected = await retryTransient(
    () =>
      createChatClient({
        url: env.CHAT_URL,
        username: env.BOT_USERNAME,
        password: env.BOT_PASSWORD,
        signup: true,
        onError: (error) => {
          log.error('gave up', { code: String(error.data?.code ?? ''), error: error.message });
          void stop('refused', 1);
        },
      }),
    { onRetry: (delayMs, attempt, error) => log.warn(retryEvent(error), { retryInMs: delayMs, attempt }) },
  );
  if (stopping) return connected.close();
  client = connected;
  bot = startModeratorBot({ client, log, rule: env.MODERATOR_RULE, reason: env.MODERATOR_REASON });
  await bot.ready;
  if (!stopping) log.info('moderating', { url: env.CHAT_URL, as: client.me.username, rule: env.MODERATOR_RULE.source });
}

process.once('SIGINT', () => void stop('SIGINT'));
process.once('SIGTERM', () => void stop('SIGTERM'));
await start().catch(async (error: unknown) => {
  log.error('could not start', { url: env.CHAT_URL, error: errorMessage(error) });
  await stop('start failed', 1);
});
