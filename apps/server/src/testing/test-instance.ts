import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { freePort } from '@chat/db/free-port';

const serverDir = fileURLToPath(new URL('../..', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Instance {
  url: string;
  wsUrl: string;
  process: ChildProcess;
  /** Resolves with the exit code (or signal) once the process has exited. */
  exited: Promise<number | string | null>;
}

/** A real server process (src/main.ts under tsx), as a deployment runs it; resolves once /healthz answers. */
export async function spawnInstance(env: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: env.LOG_LEVEL ?? 'warn', NODE_ENV: 'test' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) return { url, wsUrl: `ws://127.0.0.1:${port}/ws`, process: child, exited };
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error('server did not become healthy');
}

export interface OwnRedis {
  url: string;
  /** SIGKILL: no goodbye to clients, and (no persistence) every key is gone. */
  kill(): Promise<void>;
  /** A fresh, empty redis-server on the same port. */
  start(): Promise<void>;
  /** SIGSTOP: connections stay open and what clients send waits in the socket, run on resume. */
  pause(): void;
  /** SIGCONT after pause: keys kept, the waiting commands run first. */
  resume(): void;
}

/**
 * A redis-server of the test's own on a free port, which the test may kill and restart (never
 * the machine's shared one). Null (the test skips) when redis-server is not installed; an
 * error under CI, where it must be.
 */
export async function ownRedis(file: string): Promise<OwnRedis | null> {
  if (spawnSync('redis-server', ['--version']).error) {
    if (process.env.CI) throw new Error(`${file}: redis-server is not installed (the fault tests start their own)`);
    console.warn(`${file} skipped: redis-server is not installed`);
    return null;
  }
  const port = await freePort();
  let child: ChildProcess | null = null;
  const up = () =>
    new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
  const redis: OwnRedis = {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      const c = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      child = c;
      // A restart can lose its port to another process while Redis is down: fail here, by name,
      // rather than as a test that waits for a Redis that never returns.
      for (let i = 0; !(await up()); i++) {
        if (c.exitCode !== null || c.signalCode !== null) throw new Error(`${file}: redis-server exited at start (port ${port} taken?)`);
        if (i === 100) throw new Error(`${file}: redis-server did not accept connections on port ${port} within 5 s`);
        await sleep(50);
      }
    },
    pause() {
      child?.kill('SIGSTOP');
    },
    resume() {
      child?.kill('SIGCONT');
    },
    async kill() {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const gone = new Promise((r) => c.once('exit', r));
      c.kill('SIGKILL');
      await gone;
    },
  };
  await redis.start();
  process.once('exit', () => child?.kill('SIGKILL'));
  return redis;
}
