import type Redis from 'ioredis';

/**
 * Revoked token ids, kept until the token would have expired anyway. With Redis the list is
 * shared by every instance; without it, it lives in this process.
 */
export interface TokenDenyList {
  revoke(tokenId: string, expiresAt: number): Promise<void>;
  isRevoked(tokenId: string): Promise<boolean>;
}

export function createMemoryDenyList(): TokenDenyList {
  const revoked = new Map<string, number>();
  const sweep = () => {
    const now = Date.now() / 1000;
    for (const [id, exp] of revoked) if (exp < now) revoked.delete(id);
  };
  return {
    async revoke(tokenId, expiresAt) {
      sweep();
      revoked.set(tokenId, expiresAt);
    },
    async isRevoked(tokenId) {
      return revoked.has(tokenId);
    },
  };
}

export function createRedisDenyList(redis: Redis, prefix: string): TokenDenyList {
  const key = (id: string) => `${prefix}revoked:${id}`;
  return {
    async revoke(tokenId, expiresAt) {
      const ttl = Math.max(1, Math.ceil(expiresAt - Date.now() / 1000) + 60);
      await redis.set(key(tokenId), '1', 'EX', ttl);
    },
    async isRevoked(tokenId) {
      return (await redis.exists(key(tokenId))) === 1;
    },
  };
}
