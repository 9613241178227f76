import { describe, expect, it } from 'vitest';
import { checkReadiness, redisCheck } from './readiness';

describe('checkReadiness', () => {
  it('is ready only when every check answers true', async () => {
    expect(await checkReadiness({ database: async () => true, redis: async () => true })).toEqual({ ready: true, checks: { database: 'ok', redis: 'ok' } });
    expect(await checkReadiness({ database: async () => true, redis: async () => false })).toEqual({ ready: false, checks: { database: 'ok', redis: 'failed' } });
  });

  it('reports a rejected check as failed and a hung one as timed out, without waiting for it', async () => {
    const started = Date.now();
    const result = await checkReadiness(
      { database: () => Promise.reject(new Error('connection refused')), redis: () => new Promise<boolean>(() => {}) },
      100,
    );
    expect(result).toEqual({ ready: false, checks: { database: 'failed', redis: 'timeout' } });
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('redisCheck', () => {
  it('passes on PONG and fails otherwise', async () => {
    expect(await redisCheck({ ping: async () => 'PONG' })()).toBe(true);
    await expect(redisCheck({ ping: () => Promise.reject(new Error('ECONNREFUSED')) })()).rejects.toThrow();
  });
});
