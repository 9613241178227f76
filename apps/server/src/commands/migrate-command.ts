// `pnpm db:migrate`: applies every committed migration, then exits (the server also does this at start).
import { openDatabase } from '../database';
import { loadEnvOrExit } from '../config/env-or-exit';
import { createLogger } from '../observability/logger';

const env = loadEnvOrExit();
const logger = createLogger(env.LOG_LEVEL);
const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR, logger }).catch((error: unknown) => {
  logger.fatal({ err: error }, 'migration failed; nothing was changed (migrations run in one transaction)');
  process.exit(1);
});
try {
  const executed = await database.orm.getMigrator().getExecutedMigrations();
  console.log(`database schema is up to date: ${executed.length} migrations applied, newest ${executed.at(-1)?.name ?? 'none'}`);
} finally {
  await database.close();
}
