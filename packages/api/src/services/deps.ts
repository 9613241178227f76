import type { Orm, Repositories } from '@chat/db';
import { createPasswordHasher, type PasswordHasher } from '../auth/password';
import { createTokenService, type TokenConfig, type TokenService } from '../auth/token';
import { type ChatBus, createInProcessBus } from '../bus/chat-bus';
import { createSerialExecutor, type SerialExecutor } from '../bus/serial-executor';

/** What lives for the whole process and is shared by every call. */
export interface ApiDeps {
  orm: Orm;
  bus: ChatBus;
  tokens: TokenService;
  passwords: PasswordHasher;
  /** Appends and their fan-out run one at a time, so this process publishes in id order. */
  appendInOrder: SerialExecutor;
}

/** What one procedure call sees: the shared parts plus repositories on its own EntityManager fork. */
export interface CallDeps extends ApiDeps {
  repos: Repositories;
}

export function createApiDeps(opts: { orm: Orm; token: TokenConfig; bus?: ChatBus }): ApiDeps {
  return {
    orm: opts.orm,
    bus: opts.bus ?? createInProcessBus(),
    tokens: createTokenService(opts.token),
    passwords: createPasswordHasher(),
    appendInOrder: createSerialExecutor(),
  };
}
