import { createApiDeps, type RetentionRun } from '@chat/api';
import { isDatabaseReachable } from '@chat/db';
import { existsSync } from 'node:fs';
import { observeApi } from './observability/bus-metrics';
import { createChatServer } from './transport/chat-server';
import { openDatabase } from './database';
import { observeDatabase } from './observability/database-metrics';
import { eventRetentionKeepMs, fileSettingsFromEnv, loadEnv, rateLimitsFromEnv, redisClusterNodes } from './config/env';
import { storageConfigFromEnv } from './config/file-storage';
import { createStorage, DEFAULT_FILE_LIMITS } from '@chat/files';
import { localJwtSecret } from './config/jwt-secret';
import { webPushFromEnv } from './config/vapid-keys';
import { createLogger } from './observability/logger';
import { createObservability } from './observability/observability';
import { redisCheck } from './observability/readiness';
import { createRequestIdentity } from './transport/request-identity';
import { createPreviewImageStore } from './transport/files/preview-images';
import Redis from 'ioredis';

let env;
try {
  env = loadEnv();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
// Pretty lines for a developer at a terminal; JSON for everything else (files, containers, log shippers).
const logger = createLogger(env.LOG_LEVEL, { pretty: Boolean(process.stdout.isTTY) && env.NODE_ENV !== 'production' });

const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR, logger }).catch((error: unknown) => {
  logger.fatal({ err: error }, 'could not open the database; check DATABASE_URL (or unset it to use the embedded PostgreSQL)');
  process.exit(1);
});
const secret = env.JWT_SECRET ?? (await localJwtSecret(env.DATA_DIR));
// commandTimeout bounds every command, queued ones included: a dead Redis costs a request at most that long.
const redis = env.REDIS_URL ? new Redis(env.REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 2, commandTimeout: env.REDIS_COMMAND_TIMEOUT_MS }) : null;
redis?.on('error', (error) => logger.warn({ err: error }, 'redis error'));
const clusterNodes = redisClusterNodes(env);
// Live events only (docs/decisions/158): one sharded subscriber per master, resubscribed after a failover.
const redisCluster = clusterNodes
  ? new Redis.Cluster(clusterNodes, { shardedSubscribers: true, redisOptions: { maxRetriesPerRequest: 2, commandTimeout: env.REDIS_COMMAND_TIMEOUT_MS } })
  : null;
redisCluster?.on('error', (error) => logger.warn({ err: error }, 'redis cluster error'));
// Attachments (issue 24): the storage the upload endpoint writes, downloads read and deletes erase.
const fileStore = createStorage(storageConfigFromEnv(env));
const webPush = await webPushFromEnv(env);
if (webPush.why) logger.warn(`web push is off: ${webPush.why}`);
const deps = createApiDeps({
  orm: database.orm,
  token: { secret, ttlSeconds: env.JWT_TTL_SECONDS },
  redis,
  redisCluster,
  redisPrefix: env.REDIS_PREFIX,
  rateLimits: rateLimitsFromEnv(env),
  presenceTtlMs: env.PRESENCE_TTL_MS,
  presenceRoomMemberLimit: env.PRESENCE_ROOM_MEMBER_LIMIT,
  sessionLifetimeSeconds: env.SESSION_LIFETIME_SECONDS,
  sessionTiming: { rotationGraceMs: env.SESSION_ROTATION_GRACE_SECONDS * 1000 },
  messageEditWindowMinutes: env.MESSAGE_EDIT_WINDOW_MINUTES ?? null,
  registrationMode: env.REGISTRATION_MODE ?? null,
  files: {
    ...fileSettingsFromEnv(env),
    bytes: { erase: (id) => fileStore.storage.remove(id) },
    previewImages: createPreviewImageStore(fileStore.storage, DEFAULT_FILE_LIMITS),
  },
  linkPreviews: env.LINK_PREVIEWS === 'on' ? {} : false,
  groupCommit: env.APPEND_GROUP_COMMIT === 'on',
  webPush: webPush.options,
  eventRetention: eventRetentionLog(eventRetentionKeepMs(env)),
  onBackgroundError: (error) => logger.warn({ err: error }, 'background task failed'),
});
await deps.ready;
const identity = createRequestIdentity(env.TRUST_PROXY);
const observability = createObservability({
  logger,
  identity,
  metricsToken: env.METRICS_TOKEN ?? null,
  readiness: { database: () => isDatabaseReachable(database.orm), ...(redis ? { redis: redisCheck(redis) } : {}) },
});
observeApi(deps, observability.metrics);
observeDatabase(database.orm, observability.metrics);
const webDistDir = existsSync(env.WEB_DIST_DIR) ? env.WEB_DIST_DIR : null;
if (!webDistDir) logger.warn({ dir: env.WEB_DIST_DIR }, 'web app not built: serving the API only (`pnpm start` builds it)');
const app = createChatServer({
  deps,
  logger,
  allowedOrigins: env.ALLOWED_ORIGINS,
  allowedHosts: env.ALLOWED_HOSTS,
  webDistDir,
  identity,
  observability,
  files: fileStore,
});

try {
  const address = await app.listen(env.PORT, env.HOST);
  logger.info({ host: env.HOST, port: address.port }, `chat server ready on http://localhost:${address.port}`);
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  logger.fatal({ err: error }, code === 'EADDRINUSE' ? `port ${env.PORT} is in use; stop the other process or set PORT` : 'could not listen');
  await database.close();
  process.exit(1);
}

/** The retention job's settings with its log lines (docs/decisions/168-event-retention.md); null: keep every event. */
function eventRetentionLog(keepMs: number | null) {
  if (keepMs === null) return null;
  return {
    keepMs,
    onRun: (run: RetentionRun) => {
      if (run.deleted > 0) logger.info({ deleted: run.deleted, batches: run.batches, horizon: run.through, ms: run.ms, busy: run.busy }, 'event retention: deleted old events');
      else logger.debug({ horizon: run.through, busy: run.busy }, run.busy ? 'event retention: another instance is deleting' : 'event retention: nothing to delete');
    },
    // PostgreSQL down, say: nothing is lost by waiting, and the next period tries again.
    onError: (error: unknown) => logger.warn({ err: error }, 'event retention failed; it runs again next period'),
  };
}

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) {
    logger.warn('second signal: exiting now');
    process.exit(1);
  }
  stopping = true;
  logger.info({ signal }, 'shutting down');
  await app.close();
  await deps.close();
  await database.close();
  redis?.disconnect();
  redisCluster?.disconnect();
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
