import { connect } from 'node:net';

/** The Redis the multi-instance tests use: TEST_REDIS_URL, else the local default. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * True when that Redis answers. Without one (a laptop with only Node) the multi-instance tests
 * are skipped with a message; under CI a missing Redis is an error, since .ci/run starts one.
 */
export async function redisAvailable(file: string): Promise<boolean> {
  const url = new URL(TEST_REDIS_URL);
  const ok = await new Promise<boolean>((resolve) => {
    const socket = connect(Number(url.port || 6379), url.hostname);
    socket.setTimeout(1_000);
    const settle = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.once('connect', () => settle(true));
    socket.once('error', () => settle(false));
    socket.once('timeout', () => settle(false));
  });
  if (!ok && process.env.CI) throw new Error(`${file}: no Redis at ${TEST_REDIS_URL} (.ci/run starts one)`);
  if (!ok) console.warn(`${file} skipped: no Redis at ${TEST_REDIS_URL}; start one or set TEST_REDIS_URL`);
  return ok;
}
