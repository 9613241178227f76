import { type ChatClient, createChatClient } from '@chat/client';
import { retryEvent } from './bot';
import { errorMessage, type LogFields, type Logger } from './log';
import { retryTransient } from './retry';

/** What a bot process runs once connected: it is ready when listening, and stops cleanly. */
export interface RunningBot {
  ready: Promise<unknown>;
  stop(): Promise<void>;
}

/**
 * The life of a bot process, shared by the example bots: connect (retrying transient failures),
 * start the bot, and stop cleanly on SIGINT/SIGTERM or a later refusal. No process.exit(): the
 * process ends once nothing is left open, which is what close() promises.
 */
export async function runBot(opts: {
  env: { CHAT_URL: string; BOT_USERNAME: string; BOT_PASSWORD: string };
  log: Logger;
  start: (client: ChatClient) => RunningBot;
  /** The line logged once the bot listens. */
  started: (client: ChatClient) => [event: string, fields: LogFields];
}): Promise<void> {
  const { env, log } = opts;
  let client: ChatClient | null = null;
  let bot: RunningBot | null = null;
  let stopping: Promise<void> | null = null;

  const stop = (reason: string, exitCode = 0) => {
    process.exitCode ||= exitCode;
    stopping ??= (async () => {
      log.info('stopping', { reason });
      await bot?.stop();
      await client?.close();
      log.info('stopped');
    })();
    return stopping;
  };

  const start = async () => {
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
    bot = opts.start(client);
    await bot.ready;
    if (!stopping) log.info(...opts.started(client));
  };

  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  await start().catch(async (error: unknown) => {
    log.error('could not start', { url: env.CHAT_URL, error: errorMessage(error) });
    await stop('start failed', 1);
  });
}
