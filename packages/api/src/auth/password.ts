import argon2 from 'argon2';
import { availableParallelism } from 'node:os';
import { createWorkQueue, type WorkQueueOptions } from '../security/work-queue';

/** `client` is the caller's address: the hashing queue serves addresses in turn (see work-queue.ts). */
export interface PasswordHasher {
  hash(password: string, client: string): Promise<string>;
  verify(hash: string, password: string, client: string): Promise<boolean>;
  /** Spends one verification's worth of work, so an unknown username costs what a known one does. */
  verifyNothing(password: string, client: string): Promise<false>;
}

// OWASP's argon2id floor: 19 MiB, 2 iterations, 1 lane.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

// Hashes may use half the cores at most: the other half keeps the chat's event loop and the
// database driver responsive during a login storm. A short queue absorbs bursts.
export const DEFAULT_HASH_QUEUE: WorkQueueOptions = {
  concurrency: Math.max(1, Math.floor(availableParallelism() / 2)),
  maxWaiting: 128,
  maxWaitMs: 5_000,
};

export function createPasswordHasher(queueOptions: WorkQueueOptions = DEFAULT_HASH_QUEUE): PasswordHasher {
  const queue = createWorkQueue(queueOptions);
  let dummyHash: Promise<string> | null = null;
  return {
    hash: (password, client) => queue.run(client, () => argon2.hash(password, OPTIONS)),
    verify: (hash, password, client) => queue.run(client, () => argon2.verify(hash, password).catch(() => false)),
    async verifyNothing(password, client) {
      dummyHash ??= argon2.hash('timing-equaliser-not-a-password', OPTIONS);
      const hash = await dummyHash;
      await queue.run(client, () => argon2.verify(hash, password).catch(() => false));
      return false;
    },
  };
}
