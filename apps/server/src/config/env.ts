import { REGISTRATION_MODES, type RateLimitConfig } from '@chat/api';
import { z } from 'zod';
import { repoRoot } from '../repo-root';

// The only reader of process.env in the server.

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  DATA_DIR: z.string().min(1).default(`${repoRoot}.data`),
  JWT_SECRET: z
    .string()
    .refine((s) => Buffer.byteLength(s) >= 32, 'JWT_SECRET must be at least 32 bytes; generate one with `openssl rand -base64 48`')
    .optional(),
  JWT_TTL_SECONDS: z.coerce.number().int().min(60).max(30 * 24 * 3600).default(3600),
  /** A login's absolute lifetime: refreshing renews tokens up to this, never past it. */
  SESSION_LIFETIME_SECONDS: z.coerce.number().int().min(300).max(365 * 24 * 3600).default(30 * 24 * 3600),
  /** How long a token replaced by auth.refresh keeps working (requests in flight, the socket's switch-over). */
  SESSION_ROTATION_GRACE_SECONDS: z.coerce.number().int().min(5).max(600).default(60),
  ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().url('ALLOWED_ORIGINS must be comma-separated origins like https://chat.example.com'))),
  /** Host names served besides IP literals and localhost (DNS rebinding); `.example.com` = it and its subdomains, `*` = any. */
  ALLOWED_HOSTS: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((h) => h.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^(\*|\.?[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?)$/, 'ALLOWED_HOSTS must be comma-separated host names like chat.example.com or .example.com'))),
  /** Bearer token Prometheus sends to GET /metrics; unset, /metrics answers 404. */
  METRICS_TOKEN: z
    .string()
    .min(16, 'METRICS_TOKEN must be at least 16 characters; generate one with `openssl rand -hex 32`')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  WEB_DIST_DIR: z.string().min(1).default(`${repoRoot}apps/web/dist`),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'REDIS_URL must be a redis:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** host:port,host:port…: carry live events over this Redis Cluster's sharded pub/sub, each instance hearing only its readers' rooms (docs/decisions/158). */
  REDIS_CLUSTER_NODES: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'REDIS_CLUSTER_NODES must be comma-separated host:port pairs like redis-1:6379'))),
  /** The longest any request waits on a Redis command before going on without it (Redis down or stalled). */
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(500),
  /** Namespaces Redis keys and channels, so several deployments can share one Redis. */
  REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]{1,64}$/, 'REDIS_PREFIX may use letters, digits, ":", "_" and "-"').default('chat:'),
  /** Behind a reverse proxy, take the client address from X-Forwarded-For (its last hop). */
  TRUST_PROXY: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  /** How long a dead instance's users stay "online" (heartbeats refresh it a few times per period). */
  PRESENCE_TTL_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
  /** chat.onEvent shows a user the presence of members of their rooms this size or smaller (DMs always); docs/decisions/121. */
  PRESENCE_ROOM_MEMBER_LIMIT: z.coerce.number().int().min(2).max(100_000).default(100),
  /** open | invite | closed; when set it wins over the admin screen's setting (docs/decisions/111-registration-modes.md). */
  REGISTRATION_MODE: z
    .enum(REGISTRATION_MODES, { message: 'REGISTRATION_MODE must be open, invite or closed' })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  RATE_LIMIT_LOGIN_FAILURES: z.coerce.number().int().min(1).default(5),
  RATE_LIMIT_LOGIN_FAILURES_PER_IP: z.coerce.number().int().min(1).default(50),
  RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(100),
  RATE_LIMIT_LOGINS_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  RATE_LIMIT_SIGNUPS_PER_HOUR: z.coerce.number().int().min(1).default(10),
  RATE_LIMIT_MESSAGES_PER_10S: z.coerce.number().int().min(1).default(20),
  RATE_LIMIT_MESSAGE_BURST: z.coerce.number().int().min(0).default(10),
  RATE_LIMIT_TYPING_PER_10S: z.coerce.number().int().min(1).default(10),
  RATE_LIMIT_WS_CONNECTS_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  RATE_LIMIT_HISTORY_ROWS_PER_10S: z.coerce.number().int().min(100).default(2000),
  RATE_LIMIT_SEARCHES_PER_10S: z.coerce.number().int().min(1).default(10),
  RATE_LIMIT_ROOM_WRITES_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  RATE_LIMIT_MEMBERSHIP_CHANGES_PER_HOUR: z.coerce.number().int().min(1).default(60),
  RATE_LIMIT_READ_MARKS_PER_10S: z.coerce.number().int().min(1).default(100),
  RATE_LIMIT_ADMIN_ACTIONS_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  RATE_LIMIT_TOKEN_REFRESHES_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  /** How long after sending a message its author may edit it; unset: always. */
  MESSAGE_EDIT_WINDOW_MINUTES: z.coerce
    .number()
    .int()
    .min(1, 'MESSAGE_EDIT_WINDOW_MINUTES must be a whole number of minutes (unset it for no limit)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Where attachments live: `disk` (under DATA_DIR/files) or `s3` (any S3-compatible store; the S3_* settings). */
  FILE_STORAGE: z.enum(['disk', 's3'], { message: 'FILE_STORAGE must be disk or s3' }).default('disk'),
  /** The S3 endpoint (https://s3.example.com, http://minio:9000); unset: AWS for S3_REGION. */
  S3_ENDPOINT: z
    .string()
    .url('S3_ENDPOINT must be a URL like https://s3.example.com')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  S3_BUCKET: z
    .string()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  S3_REGION: z.string().min(1).default('us-east-1'),
  /** Path-style URLs (endpoint/bucket/key), which most self-hosted stores need. */
  S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  /** Unset: the AWS SDK's own chain (environment, instance role...). */
  S3_ACCESS_KEY_ID: z
    .string()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  S3_SECRET_ACCESS_KEY: z
    .string()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** The largest file one upload may be, in bytes (default 25 MB). */
  MAX_FILE_BYTES: z.coerce.number().int().min(1024).default(25 * 1024 * 1024),
  /** All of one user's files together, in bytes (default 1 GB). */
  FILE_QUOTA_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024 * 1024),
  UPLOADS_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  RATE_LIMIT_FILE_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /** on | off: the server fetches the first link of a message for a preview card (docs/decisions/138-link-previews.md). */
  LINK_PREVIEWS: z.enum(['on', 'off'], { message: 'LINK_PREVIEWS must be on or off' }).default('on'),
  /** on | off: plain sends arriving while one is appended go together in one statement (docs/decisions/162-group-commit.md). */
  APPEND_GROUP_COMMIT: z.enum(['on', 'off'], { message: 'APPEND_GROUP_COMMIT must be on or off' }).default('on'),
  /** Days events are kept for chat.onEvent resumes; older ones are deleted by a job on every instance, 0 keeps them forever (docs/decisions/168-event-retention.md). */
  EVENT_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(30),
  /** on | off: Web Push notifications (docs/decisions/148-web-push.md). */
  WEB_PUSH: z.enum(['on', 'off'], { message: 'WEB_PUSH must be on or off' }).default('on'),
  /** The VAPID key pair (base64url, as `pnpm --filter @chat/server vapid-keys` prints); unset in development: generated into DATA_DIR. */
  VAPID_PUBLIC_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{87}$/, 'VAPID_PUBLIC_KEY must be an uncompressed P-256 key in base64url (87 characters); generate a pair with `pnpm --filter @chat/server vapid-keys`')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  VAPID_PRIVATE_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, 'VAPID_PRIVATE_KEY must be a P-256 private key in base64url (43 characters)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Who push services may contact about this server's pushes: mailto: or https:. */
  VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:|https:\/\/)\S+$/, 'VAPID_SUBJECT must be a mailto: or https:// URL')
    .default('mailto:admin@example.com'),
  RATE_LIMIT_NOTIFICATION_WRITES_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  RATE_LIMIT_FOCUS_REPORTS_PER_10S: z.coerce.number().int().min(1).default(30),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.output<typeof envSchema>;

/** Every variable the server reads: .env.example and the README list the same (a test checks). */
export const ENV_VARIABLES = Object.keys(envSchema.shape);

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  if (parsed.data.FILE_STORAGE === 's3' && !parsed.data.S3_BUCKET) throw new Error('Invalid environment:\n  S3_BUCKET: required when FILE_STORAGE=s3');
  if (Boolean(parsed.data.VAPID_PUBLIC_KEY) !== Boolean(parsed.data.VAPID_PRIVATE_KEY))
    throw new Error('Invalid environment:\n  VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY: set both or neither');
  if (parsed.data.NODE_ENV === 'production') {
    if (!parsed.data.JWT_SECRET) throw new Error('JWT_SECRET is required when NODE_ENV=production; generate one with `openssl rand -base64 48`');
    // A long but guessable secret ("aaaa…", "changemechangeme…") is as bad as a short one.
    if (new Set(parsed.data.JWT_SECRET).size < 12) throw new Error('JWT_SECRET looks weak (too few distinct characters); generate one with `openssl rand -base64 48`');
  }
  return parsed.data;
}

/** REDIS_CLUSTER_NODES as ioredis's Cluster takes them; null when unset. */
export const redisClusterNodes = (env: Env) =>
  env.REDIS_CLUSTER_NODES.length === 0
    ? null
    : env.REDIS_CLUSTER_NODES.map((node) => {
        const at = node.lastIndexOf(':');
        return { host: node.slice(0, at), port: Number(node.slice(at + 1)) };
      });

export const rateLimitsFromEnv = (env: Env): RateLimitConfig => ({
  loginFailuresPerUserIp: { points: env.RATE_LIMIT_LOGIN_FAILURES, duration: 15 * 60 },
  loginFailuresPerIp: { points: env.RATE_LIMIT_LOGIN_FAILURES_PER_IP, duration: 60 * 60 },
  loginFailuresPerAccount: { points: env.RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT, duration: 24 * 60 * 60 },
  loginsPerIp: { points: env.RATE_LIMIT_LOGINS_PER_IP_PER_MINUTE, duration: 60 },
  knownAddressSeconds: 14 * 24 * 60 * 60,
  signupsPerIp: { points: env.RATE_LIMIT_SIGNUPS_PER_HOUR, duration: 60 * 60 },
  messagesPerUser: { points: env.RATE_LIMIT_MESSAGES_PER_10S, duration: 10, burst: env.RATE_LIMIT_MESSAGE_BURST, burstDuration: 60 },
  typingPerUser: { points: env.RATE_LIMIT_TYPING_PER_10S, duration: 10 },
  wsConnectsPerIp: { points: env.RATE_LIMIT_WS_CONNECTS_PER_MINUTE, duration: 60 },
  historyRowsPerUser: { points: env.RATE_LIMIT_HISTORY_ROWS_PER_10S, duration: 10 },
  searchesPerUser: { points: env.RATE_LIMIT_SEARCHES_PER_10S, duration: 10 },
  roomWritesPerUser: { points: env.RATE_LIMIT_ROOM_WRITES_PER_MINUTE, duration: 60 },
  membershipChangesPerUser: { points: env.RATE_LIMIT_MEMBERSHIP_CHANGES_PER_HOUR, duration: 60 * 60 },
  readMarksPerUser: { points: env.RATE_LIMIT_READ_MARKS_PER_10S, duration: 10 },
  adminActionsPerUser: { points: env.RATE_LIMIT_ADMIN_ACTIONS_PER_MINUTE, duration: 60 },
  tokenRefreshesPerUser: { points: env.RATE_LIMIT_TOKEN_REFRESHES_PER_MINUTE, duration: 60 },
  uploadsPerUser: { points: env.UPLOADS_PER_MINUTE, duration: 60 },
  fileRequestsPerUser: { points: env.RATE_LIMIT_FILE_REQUESTS_PER_MINUTE, duration: 60 },
  notificationWritesPerUser: { points: env.RATE_LIMIT_NOTIFICATION_WRITES_PER_MINUTE, duration: 60 },
  focusReportsPerUser: { points: env.RATE_LIMIT_FOCUS_REPORTS_PER_10S, duration: 10 },
});

/** The retention job's setting (docs/decisions/168-event-retention.md): null keeps every event. */
export const eventRetentionKeepMs = (env: Env): number | null => (env.EVENT_RETENTION_DAYS === 0 ? null : env.EVENT_RETENTION_DAYS * 24 * 3600 * 1000);

/** The file limits the API enforces (docs/decisions/137-files-served-and-read.md). */
export const fileSettingsFromEnv = (env: Env) => ({
  maxFileBytes: env.MAX_FILE_BYTES,
  quotaBytes: env.FILE_QUOTA_BYTES,
  uploadsPerMinute: env.UPLOADS_PER_MINUTE,
});
