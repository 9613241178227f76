import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from '@chat/db/free-port';

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

export interface ScratchRedis {
  url: string;
  /** Starts it (again) on the same port; resolves once it accepts connections. */
  start(): Promise<void>;
  /** SIGKILL, as an operator's `kill -9` or a crashed host: nothing is flushed or said goodbye. */
  kill(): Promise<void>;
}

const redisUp = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

/** A redis-server of the test's own on a free port, to kill and start at will (the machine's Redis is never touched). */
export async function startScratchRedis(): Promise<ScratchRedis> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const scratch: ScratchRedis = {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      const end = Date.now() + 10_000;
      while (!(await redisUp(port))) {
        if (Date.now() > end) throw new Error('redis-server did not start listening within 10 s');
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async kill() {
      const running = child;
      child = null;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGKILL');
      await exited;
    },
  };
  await scratch.start();
  return scratch;
}
