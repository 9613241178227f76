// `pnpm user:role NAME ROLE` (`node dist/user-role.js NAME ROLE` in the image): sets a user's
// server-wide role. Whoever can run this owns the deployment, which is how the first owner is
// made without a race (docs/decisions/110-roles-and-first-owner.md). Audited like the admin screen.
import { DomainError, ROLES, setRoleFromCommandLine } from '@chat/api';
import { repositoriesFor } from '@chat/db';
import { openDatabase } from '../database';
import { loadEnvOrExit } from '../config/env-or-exit';
import { createLogger } from '../observability/logger';

const [username, role] = process.argv.slice(2);
const isRole = (value: string | undefined): value is (typeof ROLES)[number] => (ROLES as readonly string[]).includes(value ?? '');
if (!username || !isRole(role)) {
  console.error(`usage: pnpm user:role NAME ROLE   (ROLE: ${ROLES.join(' | ')})`);
  process.exit(2);
}

const env = loadEnvOrExit();
const logger = createLogger(env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL);
const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR, logger }).catch((error: unknown) => {
  logger.fatal({ err: error }, 'could not open the database; with the embedded PostgreSQL, stop the server first (or set DATABASE_URL)');
  process.exit(1);
});
let code = 0;
try {
  const user = await setRoleFromCommandLine(repositoriesFor(database.orm.em.fork()), username, role);
  console.log(`${user.username} is now ${user.role}`);
} catch (error) {
  if (!(error instanceof DomainError)) throw error;
  console.error(error.message);
  code = 1;
} finally {
  await database.close();
}
process.exit(code);
