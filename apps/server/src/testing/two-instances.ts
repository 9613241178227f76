import { randomBytes } from 'node:crypto';
import { TEST_REDIS_URL } from './test-redis';
import { startTestServer, type TestServer, type TestServerOptions } from './testing';

/** What the instances of one deployment share: Redis (under a prefix of the test's own) and the JWT secret. */
export const sharedDeployment = (redisUrl = TEST_REDIS_URL) => ({
  redisUrl,
  redisPrefix: `test:${randomBytes(6).toString('hex')}:`,
  jwtSecret: randomBytes(32).toString('base64url'),
});

/**
 * Two instances of one deployment: one database, one Redis (the shared test Redis unless the test
 * brings one it may stop), one JWT secret; `b` is disposed before `a`.
 */
export async function startTwoInstances(opts: Omit<TestServerOptions, 'databaseUrl' | 'redisPrefix' | 'jwtSecret'>) {
  const shared = sharedDeployment(opts.redisUrl);
  const a: TestServer = await startTestServer({ ...opts, ...shared });
  const b: TestServer = await startTestServer({ ...opts, ...shared, databaseUrl: a.databaseUrl });
  return {
    a,
    b,
    /** The Redis and key prefix the two share, for a process of the same deployment (`pnpm user:role`). */
    redis: { redisUrl: shared.redisUrl, redisPrefix: shared.redisPrefix },
    async dispose() {
      await b.dispose();
      await a.dispose();
    },
  };
}
