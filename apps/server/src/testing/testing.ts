import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStorage, DEFAULT_FILE_LIMITS, type DataStore, type FileLimits, type FileStorage, type StorageConfig } from '@chat/files';
import { type ApiDeps, createApiDeps, DEFAULT_RATE_LIMITS, type LinkPreviewOptions, type RateLimitConfig, type SessionTiming, type WorkQueueOptions, type WebPushOptions } from '@chat/api';
import { initORM, migrate, type Orm } from '@chat/db';
import { createTestDatabase } from '@chat/db/testing';
import { createChatServer, type ChatServer } from '../transport/chat-server';
import { createLogger, type Logger } from '../observability/logger';
import Redis from 'ioredis';
import { createRequestIdentity } from '../transport/request-identity';
import { createPreviewImageStore } from '../transport/files/preview-images';

export interface TestServer {
  /** http://127.0.0.1:PORT */
  url: string;
  /** ws://127.0.0.1:PORT/ws */
  wsUrl: string;
  port: number;
  jwtSecret: string;
  deps: ApiDeps;
  orm: Orm;
  /** Stops HTTP and WebSocket serving; the database stays. */
  stop(): Promise<void>;
  /** Serves again on the same port (after stop). */
  start(): Promise<void>;
  databaseUrl: string;
  /** The attachments' storage, when started with `files` (its directory for disk storage). */
  files: { storage: FileStorage; tusStore: DataStore; dir: string | null } | null;
  /** Stops everything and drops the database. */
  dispose(): Promise<void>;
}

export interface TestServerOptions {
  adminDatabaseUrl: string;
  jwtTtlSeconds?: number;
  allowedOrigins?: string[];
  allowedHosts?: string[];
  metricsToken?: string;
  webDistDir?: string | null;
  /** Defaults are generous: most test files sign up many users from one address. */
  rateLimits?: Partial<RateLimitConfig>;
  hashQueue?: WorkQueueOptions;
  /** Share live events, presence and limits through this Redis (isolated by a random key prefix unless given). */
  redisUrl?: string;
  /** Carry live events over this Redis Cluster's sharded pub/sub (docs/decisions/158). */
  redisClusterNodes?: { host: string; port: number }[];
  redisPrefix?: string;
  presenceTtlMs?: number;
  /** PRESENCE_ROOM_MEMBER_LIMIT (default 100): small in tests, so a handful of users makes #everyone "large". */
  presenceRoomMemberLimit?: number;
  slowConsumerBytes?: number;
  keepAlive?: { pingMs: number; pongWaitMs: number };
  /** Share tokens with another instance. */
  jwtSecret?: string;
  /** Use this database instead of creating one (a second instance of the same deployment). */
  databaseUrl?: string;
  /** Where the server logs; silent unless TEST_LOG_LEVEL says otherwise. */
  logger?: Logger;
  sessionLifetimeSeconds?: number;
  /** Rotation grace, sync period, cache lifetime of sessions (short in tests). */
  sessionTiming?: Partial<SessionTiming>;
  /** ioredis commandTimeout, as REDIS_COMMAND_TIMEOUT_MS sets it in production. */
  redisCommandTimeoutMs?: number;
  /** How far behind a chat.onEvent resume may be before it gets `resync` (default 1000). */
  eventReplayLimit?: number;
  /** APPEND_GROUP_COMMIT=off: each plain send its own statement, as before decision 162. */
  groupCommit?: boolean;
  /** MESSAGE_EDIT_WINDOW_MINUTES (fractions allowed here, so a test need not wait minutes). */
  messageEditWindowMinutes?: number;
  /** REGISTRATION_MODE: fixes the registration mode. */
  registrationMode?: 'open' | 'invite' | 'closed';
  /** How long file.ticket URLs work (default 5 minutes). */
  fileTicketTtlSeconds?: number;
  /** Serve /files/ (issue 24): disk storage in a temporary directory (removed by dispose) unless `storage` says otherwise. */
  files?: {
    storage?: StorageConfig;
    maxFileBytes?: number;
    quotaBytes?: number;
    uploadsPerMinute?: number;
    unsentTtlSeconds?: number;
    imageLimits?: FileLimits;
    sweepMs?: number;
  };
  /** Link previews with a test network (off when absent, as with LINK_PREVIEWS=off). */
  linkPreviews?: LinkPreviewOptions;
  /** Web Push with a test network (off when absent). */
  webPush?: WebPushOptions;
}

const GENEROUS: RateLimitConfig = {
  ...DEFAULT_RATE_LIMITS,
  signupsPerIp: { points: 10_000, duration: 3600 },
  loginFailuresPerIp: { points: 10_000, duration: 3600 },
  loginsPerIp: { points: 10_000, duration: 60 },
  messagesPerUser: { points: 10_000, duration: 10, burst: 0, burstDuration: 60 },
  wsConnectsPerIp: { points: 10_000, duration: 60 },
  historyRowsPerUser: { points: 1_000_000, duration: 10 },
  searchesPerUser: { points: 10_000, duration: 10 },
  // Many tests make, join and leave rooms in loops; write-limits.test.ts sets these small on purpose.
  roomWritesPerUser: { points: 10_000, duration: 60 },
  membershipChangesPerUser: { points: 10_000, duration: 3600 },
  readMarksPerUser: { points: 10_000, duration: 10 },
  adminActionsPerUser: { points: 10_000, duration: 60 },
  tokenRefreshesPerUser: { points: 10_000, duration: 60 },
  uploadsPerUser: { points: 10_000, duration: 60 },
  fileRequestsPerUser: { points: 100_000, duration: 60 },
};

/** The real server on a free port, over a fresh database with every migration applied. */
export async function startTestServer(opts: TestServerOptions): Promise<TestServer> {
  const database = opts.databaseUrl ? { url: opts.databaseUrl, drop: async () => {} } : await createTestDatabase(opts.adminDatabaseUrl);
  const orm = await initORM({ clientUrl: database.url, poolMax: 5 });
  await migrate(orm);
  const jwtSecret = opts.jwtSecret ?? randomBytes(32).toString('base64url');
  const redis = opts.redisUrl ? new Redis(opts.redisUrl, { maxRetriesPerRequest: 2, commandTimeout: opts.redisCommandTimeoutMs ?? 500 }) : null;
  redis?.on('error', () => {});
  const redisCluster = opts.redisClusterNodes
    ? new Redis.Cluster(opts.redisClusterNodes, { shardedSubscribers: true, redisOptions: { maxRetriesPerRequest: 2, commandTimeout: opts.redisCommandTimeoutMs ?? 500 } })
    : null;
  redisCluster?.on('error', () => {});
  const filesDir = opts.files && !opts.files.storage ? await mkdtemp(join(tmpdir(), 'chat-files-')) : null;
  const fileStore = opts.files ? createStorage(opts.files.storage ?? { kind: 'disk', dir: filesDir! }) : null;
  const { storage: _storage, imageLimits, sweepMs, uploadsPerMinute, ...fileSettings } = opts.files ?? {};
  const deps = createApiDeps({
    orm,
    token: { secret: jwtSecret, ttlSeconds: opts.jwtTtlSeconds ?? 3600 },
    rateLimits: { ...GENEROUS, ...(uploadsPerMinute ? { uploadsPerUser: { points: uploadsPerMinute, duration: 60 } } : {}), ...opts.rateLimits },
    redis,
    redisCluster,
    redisPrefix: opts.redisPrefix ?? `test:${randomBytes(6).toString('hex')}:`,
    ...(opts.presenceTtlMs ? { presenceTtlMs: opts.presenceTtlMs } : {}),
    ...(opts.presenceRoomMemberLimit ? { presenceRoomMemberLimit: opts.presenceRoomMemberLimit } : {}),
    ...(opts.hashQueue ? { hashQueue: opts.hashQueue } : {}),
    ...(opts.sessionLifetimeSeconds ? { sessionLifetimeSeconds: opts.sessionLifetimeSeconds } : {}),
    ...(opts.sessionTiming ? { sessionTiming: opts.sessionTiming } : {}),
    ...(opts.eventReplayLimit ? { eventReplayLimit: opts.eventReplayLimit } : {}),
    ...(opts.groupCommit === undefined ? {} : { groupCommit: opts.groupCommit }),
    ...(opts.messageEditWindowMinutes ? { messageEditWindowMinutes: opts.messageEditWindowMinutes } : {}),
    ...(opts.registrationMode ? { registrationMode: opts.registrationMode } : {}),
    ...(opts.fileTicketTtlSeconds ? { fileTicketTtlSeconds: opts.fileTicketTtlSeconds } : {}),
    ...(fileStore ? { files: { ...fileSettings, ...(uploadsPerMinute ? { uploadsPerMinute } : {}), bytes: { erase: (id: string) => fileStore.storage.remove(id) }, previewImages: createPreviewImageStore(fileStore.storage, imageLimits ?? DEFAULT_FILE_LIMITS) } } : {}),
    ...(opts.linkPreviews ? { linkPreviews: opts.linkPreviews } : {}),
    ...(opts.webPush ? { webPush: opts.webPush } : {}),
  });
  const logger = opts.logger ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  let app: ChatServer | null = null;
  let port = 0;
  const start = async () => {
    app = createChatServer({
      deps,
      logger,
      allowedOrigins: opts.allowedOrigins ?? [],
      allowedHosts: opts.allowedHosts ?? [],
      metricsToken: opts.metricsToken ?? null,
      webDistDir: opts.webDistDir ?? null,
      identity: createRequestIdentity(false),
      ...(opts.slowConsumerBytes ? { slowConsumerBytes: opts.slowConsumerBytes } : {}),
      ...(opts.keepAlive ? { keepAlive: opts.keepAlive } : {}),
      ...(fileStore ? { files: { ...fileStore, ...(imageLimits ? { imageLimits } : {}), ...(sweepMs ? { sweepMs } : {}) } } : {}),
    });
    port = (await app.listen(port, '127.0.0.1')).port;
  };
  const stop = async () => {
    await app?.close();
    app = null;
  };
  await deps.ready;
  await start();
  return {
    databaseUrl: database.url,
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get wsUrl() {
      return `ws://127.0.0.1:${port}/ws`;
    },
    get port() {
      return port;
    },
    jwtSecret,
    deps,
    orm,
    files: fileStore ? { ...fileStore, dir: filesDir } : null,
    stop,
    start,
    async dispose() {
      await stop();
      await deps.close();
      redis?.disconnect();
      redisCluster?.disconnect();
      await orm.close();
      await database.drop();
      if (filesDir) await rm(filesDir, { recursive: true, force: true });
    },
  };
}

/** Real PNG and PDF bytes for upload tests in other packages (the client's, the web's). */
export { makePdf, makePng } from './files.test-helpers';

/** A local push service and a browser's push keys (issue 25): Web Push tested without the internet. */
export { browserPushKeys, startFakePushService, verifyVapid, type FakePushService } from './push-service.test-helpers';
