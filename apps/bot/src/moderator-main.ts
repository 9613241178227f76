import { loadModeratorEnv } from './env';
import { createLogger } from './log';
import { startModeratorBot } from './moderator';
import { runBot } from './run-bot';

// `pnpm --filter @chat/bot moderator`: the moderator bot (README, "A moderator bot").
const env = loadModeratorEnv();
const log = createLogger();
await runBot({
  env,
  log,
  start: (client) => startModeratorBot({ client, log, rule: env.MODERATOR_RULE, reason: env.MODERATOR_REASON }),
  started: (client) => ['moderating', { url: env.CHAT_URL, as: client.me.username, rule: env.MODERATOR_RULE.source }],
});
