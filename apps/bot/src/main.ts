import { type ChatClient, createChatClient } from '@chat/client';
import { type Bot, retryEvent, startBot } from './bot';
import { loadEnv } from './env';
import { createLogger, errorMessage } from './log';
import { retryTransient } from './retry';

const log = createLogger();
const env = loadEnv();

let client: ChatClient | null = null;
let bot: Bot | null = null;
let stopping: Promise<void> | null = null;

// No process.exit(): the process ends once nothing is left open, which is what close() promises.
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
        // Later refusals (e.g. the password changed while we ran); the first connect rejects instead.
        onError: (error) => {
          log.error('gave up', { code: String(error.data?.code ?? ''), error: error.message });
          void stop('refused', 1);
        },
      }),
    { onRetry: (delayMs, attempt, error) => log.warn(retryEvent(error), { retryInMs: delayMs, attempt }) },
  );
  // Ctrl-C while we were still connecting: stop() found nothing to close then.
  if (stopping) return connected.close();
  client = connected;
  bot = startBot({ client, log });
  await bot.ready;
  if (!stopping) log.info('listening', { url: env.CHAT_URL, as: client.me.username });
}

process.once('SIGINT', () => void stop('SIGINT'));
process.once('SIGTERM', () => void stop('SIGTERM'));
await start().catch(async (error: unknown) => {
  log.error('could not start', { url: env.CHAT_URL, error: errorMessage(error) });
  await stop('start failed', 1);
});
