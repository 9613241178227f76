// `pnpm user:role NAME ROLE` (`node dist/user-role.js NAME ROLE` in the image): sets a user's
// server-wide role. Whoever can run this owns the deployment, which is how the first owner is
// made without a race (docs/decisions/110-roles-and-first-owner.md). Audited like the admin screen.
import { createRedisPublisher, createShardedPublisher, DomainError, eventsChannel, ROLES, setRoleFromCommandLine } from '@chat/api';
import { repositoriesFor } from '@chat/db';
import Redis from 'ioredis';
import { openDatabase } from '../database';
import { loadEnvOrExit } from '../config/env-or-exit';
import { redisClusterNodes } from '../config/env';
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
// The deployment's Redis carries role-changed to every instance, so the user's open tabs follow at once.
const redis = env.REDIS_URL ? new Redis(env.REDIS_URL, { maxRetriesPerRequest: 2, commandTimeout: env.REDIS_COMMAND_TIMEOUT_MS }) : null;
redis?.on('error', (error) => logger.warn({ err: error }, 'redis error'));
const clusterNodes = redisClusterNodes(env);
const cluster = clusterNodes ? new Redis.Cluster(clusterNodes, { redisOptions: { maxRetriesPerRequest: 2, commandTimeout: env.REDIS_COMMAND_TIMEOUT_MS } }) : null;
cluster?.on('error', (error) => logger.warn({ err: error }, 'redis cluster error'));
// With a cluster the instances hear live events there (docs/decisions/158), not on REDIS_URL.
const publisher = cluster
  ? createShardedPublisher({ cluster, prefix: env.REDIS_PREFIX })
  : redis
    ? createRedisPublisher({ redis, channel: eventsChannel(env.REDIS_PREFIX) })
    : null;
let code = 0;
try {
  const user = await setRoleFromCommandLine(repositoriesFor(database.orm.em.fork()), username, role, async (event) => {
    // The role is committed and audited by now; a Redis failure only delays what open tabs show.
    await publisher?.publish(event).catch((error: unknown) => logger.warn({ err: error }, 'could not tell open sessions; they read the role back when they reconnect'));
  });
  console.log(`${user.username} is now ${user.role}`);
  // A hint on stderr: stdout stays the one line scripts read.
  if (!publisher) console.error('(no REDIS_URL: their open tabs show the new role when they reconnect or reload)');
} catch (error) {
  if (!(error instanceof DomainError)) throw error;
  console.error(error.message);
  code = 1;
} finally {
  await database.close();
  await redis?.quit().catch(() => redis.disconnect());
  await cluster?.quit().catch(() => cluster.disconnect());
}
process.exit(code);
