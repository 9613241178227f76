import type { Orm, Repositories } from '@chat/db';
import type Redis from 'ioredis';
import { createPasswordHasher, DEFAULT_HASH_QUEUE, type PasswordHasher } from '../auth/password';
import { createTokenService, type TokenConfig, type TokenService } from '../auth/token';
import { type ChatBus, createInProcessBus } from '../bus/chat-bus';
import { createSerialExecutor, type SerialExecutor } from '../bus/serial-executor';
import { createLiveSessions, type LiveSessions } from '../security/live-sessions';
import { createRateLimits, DEFAULT_RATE_LIMITS, type RateLimitConfig, type RateLimits } from '../security/rate-limits';
import { createMemoryDenyList, createRedisDenyList, type TokenDenyList } from '../security/token-deny-list';
import type { WorkQueueOptions } from '../security/work-queue';

/** What lives for the whole process and is shared by every call. */
export interface ApiDeps {
  orm: Orm;
  bus: ChatBus;
  tokens: TokenService;
  passwords: PasswordHasher;
  limits: RateLimits;
  denyList: TokenDenyList;
  sessions: LiveSessions;
  /** Appends and their fan-out run one at a time, so this process publishes in id order. */
  appendInOrder: SerialExecutor;
}

/** What one procedure call sees: the shared parts plus repositories on its own EntityManager fork. */
export interface CallDeps extends ApiDeps {
  repos: Repositories;
}

export interface ApiDepsOptions {
  orm: Orm;
  token: TokenConfig;
  /** Shares rate limits and revoked tokens across instances when set. */
  redis?: Redis | null;
  bus?: ChatBus;
  rateLimits?: RateLimitConfig;
  hashQueue?: WorkQueueOptions;
}

export function createApiDeps(opts: ApiDepsOptions): ApiDeps {
  return {
    orm: opts.orm,
    bus: opts.bus ?? createInProcessBus(),
    tokens: createTokenService(opts.token),
    passwords: createPasswordHasher(opts.hashQueue ?? DEFAULT_HASH_QUEUE),
    limits: createRateLimits(opts.rateLimits ?? DEFAULT_RATE_LIMITS, opts.redis),
    denyList: opts.redis ? createRedisDenyList(opts.redis) : createMemoryDenyList(),
    sessions: createLiveSessions(),
    appendInOrder: createSerialExecutor(),
  };
}
