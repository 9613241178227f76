import { startBot } from './bot';
import { loadEnv } from './env';
import { createLogger } from './log';
import { runBot } from './run-bot';

const env = loadEnv();
const log = createLogger();
await runBot({
  env,
  log,
  start: (client) => startBot({ client, log }),
  started: (client) => ['listening', { url: env.CHAT_URL, as: client.me.username }],
});
