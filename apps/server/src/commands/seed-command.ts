// `pnpm db:seed`: demo users and a few messages for a first look; prints the logins it made.
import { createApiDeps, DEFAULT_RATE_LIMITS } from '@chat/api';
import { openDatabase } from '../database';
import { loadEnvOrExit } from '../config/env-or-exit';
import { localJwtSecret } from '../config/jwt-secret';
import { createLogger } from '../observability/logger';
import { seedDemoData } from './seed';

const env = loadEnvOrExit();
const logger = createLogger(env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL);
const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR, logger });
try {
  const secret = env.JWT_SECRET ?? (await localJwtSecret(env.DATA_DIR));
  // Three sign-ups from one "address" must not trip the sign-up limit meant for the public.
  const rateLimits = { ...DEFAULT_RATE_LIMITS, signupsPerIp: { points: 1000, duration: 60 } };
  const deps = createApiDeps({ orm: database.orm, token: { secret, ttlSeconds: 60 }, rateLimits });
  const result = await seedDemoData(deps);
  for (const { username, password } of result.created) console.log(`created  ${username.padEnd(8)} password: ${password}`);
  for (const username of result.existing) console.log(`exists   ${username.padEnd(8)} (password unchanged: see the first seed's output)`);
  console.log(result.messagesPosted > 0 ? `posted ${result.messagesPosted} demo messages` : 'no demo messages posted (the chat already had messages, or a demo user existed)');
} finally {
  await database.close();
}
