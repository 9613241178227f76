import argon2 from 'argon2';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /** Spends one verification's worth of work, so an unknown username costs what a known one does. */
  verifyNothing(password: string): Promise<false>;
}

// OWASP's argon2id floor: 19 MiB, 2 iterations, 1 lane.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function createPasswordHasher(): PasswordHasher {
  let dummyHash: Promise<string> | null = null;
  return {
    hash: (password) => argon2.hash(password, OPTIONS),
    async verify(hash, password) {
      try {
        return await argon2.verify(hash, password);
      } catch {
        return false;
      }
    },
    async verifyNothing(password) {
      dummyHash ??= argon2.hash('timing-equaliser-not-a-password', OPTIONS);
      await argon2.verify(await dummyHash, password).catch(() => false);
      return false;
    },
  };
}
