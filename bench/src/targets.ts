// Starts each server under test as its own process (never inside the harness) and probes it.
import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from '@chat/db/free-port';

/** The server processes under test. */
export type ServerKind = 'ours' | 'ws' | 'socketio' | 'plain-upload';
/** What is measured: a server and how its clients connect (`ours-web`: our server, clients as the web app opens them). */
export type TargetKind = ServerKind | 'ours-web';
export const TARGET_LABELS: Record<TargetKind, string> = {
  ours: 'ours (tRPC)',
  'ours-web': 'ours, as the web app (chat.onEvent)',
  ws: 'raw ws',
  socketio: 'Socket.IO 4',
  'plain-upload': 'plain streaming upload to disk',
};
const BASELINE_SCRIPTS: Record<Exclude<ServerKind, 'ours'>, string> = {
  ws: 'baselines/ws-server.ts',
  socketio: 'baselines/socketio-server.ts',
  'plain-upload': 'baselines/upload-server.ts',
};
export const serverOf = (kind: TargetKind): ServerKind => (kind === 'ours-web' ? 'ours' : kind);
/** The subscription our clients open for this target: the bare chat.onMessage, or the web app's one chat.onEvent. */
export const streamOf = (kind: TargetKind): 'onMessage' | 'onEvent' => (kind === 'ours-web' ? 'onEvent' : 'onMessage');

const benchDir = fileURLToPath(new URL('../', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
// BENCH_SERVER_DIST runs another build of our server (an A/B against a copy of main's bundle); it is never rebuilt.
const serverDist = process.env.BENCH_SERVER_DIST ?? `${repoRoot}apps/server/dist/main.js`;
const probe = fileURLToPath(new URL('probe.mjs', import.meta.url));

export interface ProbeResult {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  cpu: { user: number; system: number };
  loopDelayMs: { p50: number; p99: number; max: number };
}

export interface Target {
  kind: ServerKind;
  url: string;
  pid: number;
  probe(opts?: { gc?: boolean; resetLoop?: boolean }): Promise<ProbeResult>;
  /**
   * With `cpuProfDir`: profiles what runs until the returned stop, which writes
   * `<cpuProfDir>/<kind>-<phase>.cpuprofile` and returns its path. Without: a no-op.
   */
  profile(phase: string): Promise<() => Promise<string | null>>;
  stop(): Promise<void>;
}

export interface TargetOptions {
  databaseUrl?: string;
  /** Writes V8 CPU profiles of the server under test's measured phases into this folder. */
  cpuProfDir?: string;
  /** More node flags for this server (BENCH_SERVER_NODE_ARGS adds them to every server). */
  nodeArgs?: string[];
  log?: (line: string) => void;
  /** The web app's build to serve (WEB_DIST_DIR), when not apps/web/dist. */
  webDistDir?: string;
  /** More environment for our server (the appends scenario's APPEND_GROUP_COMMIT). */
  env?: Record<string, string>;
}

/**
 * The bundled server. The CLI rebuilds it once per run (under a second), so a run never measures a
 * stale bundle; otherwise (the smoke test, after `pnpm test` built it) it is built only if missing.
 */
let built = false;
export function ensureServerBuilt(log: (line: string) => void, rebuild = false) {
  if (built || process.env.BENCH_SERVER_DIST || (!rebuild && existsSync(serverDist))) return;
  log('bundling the server (apps/server/dist/main.js)...');
  execFileSync('pnpm', ['--filter', '@chat/server', 'build'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  built = true;
}

async function waitHealthy(url: string, child: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode} during start-up`);
    const ok = await fetch(`${url}/healthz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server at ${url} not healthy within ${timeoutMs} ms`);
}

/** Stops an embedded PostgreSQL that outlived its server (its pid is the first line of postmaster.pid). */
async function stopOrphanedPostgres(dataDir: string) {
  const pidFile = `${dataDir}/postgres/data/postmaster.pid`;
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!Number.isInteger(pid) || pid <= 0 || !alive()) return;
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
}

export async function startTarget(kind: ServerKind, opts: TargetOptions = {}): Promise<Target> {
  const log = opts.log ?? (() => {});
  const port = await freePort();
  const dataDir = `${benchDir}.data`;
  // Extra node flags for the servers under test, e.g. BENCH_SERVER_NODE_ARGS="--heap-prof".
  const execArgv = ['--expose-gc', '--import', probe, ...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean), ...(opts.nodeArgs ?? [])];
  if (opts.cpuProfDir) mkdirSync(opts.cpuProfDir, { recursive: true });
  let child: ChildProcess;
  if (kind === 'ours') {
    ensureServerBuilt(log);
    mkdirSync(dataDir, { recursive: true });
    if (!opts.databaseUrl) await stopOrphanedPostgres(dataDir);
    const unlimited = '1000000000';
    child = fork(serverDist, [], {
      execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATA_DIR: dataDir,
        DATABASE_URL: opts.databaseUrl ?? '',
        JWT_SECRET: randomBytes(48).toString('base64url'),
        JWT_TTL_SECONDS: String(6 * 3600),
        LOG_LEVEL: 'warn',
        RATE_LIMIT_SIGNUPS_PER_HOUR: unlimited,
        RATE_LIMIT_LOGIN_FAILURES_PER_IP: unlimited,
        RATE_LIMIT_LOGINS_PER_IP_PER_MINUTE: unlimited,
        RATE_LIMIT_MESSAGES_PER_10S: unlimited,
        RATE_LIMIT_MESSAGE_BURST: '0',
        RATE_LIMIT_WS_CONNECTS_PER_MINUTE: unlimited,
        // The rooms profile's setup makes every room with room.create/openDirect/invite from a few accounts.
        RATE_LIMIT_ROOM_WRITES_PER_MINUTE: unlimited,
        // The years scenario times history pages and searches back to back.
        RATE_LIMIT_SEARCHES_PER_10S: unlimited,
        RATE_LIMIT_HISTORY_ROWS_PER_10S: unlimited,
        // The uploads scenario: files of any size, as many and as often as it sends.
        UPLOADS_PER_MINUTE: unlimited,
        RATE_LIMIT_FILE_REQUESTS_PER_MINUTE: unlimited,
        MAX_FILE_BYTES: String(4 * 1024 ** 3),
        FILE_QUOTA_BYTES: String(1024 ** 4),
        ...(opts.webDistDir ? { WEB_DIST_DIR: opts.webDistDir } : {}),
        ...opts.env,
      },
    });
  } else {
    const script = fileURLToPath(new URL(BASELINE_SCRIPTS[kind], import.meta.url));
    child = fork(script, [], {
      execArgv: [...execArgv, '--import', 'tsx'],
      cwd: benchDir,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, PORT: String(port) },
    });
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`${kind} baseline exited with code ${code}`)));
      child.on('message', (m: { type?: string }) => m?.type === 'listening' && resolve());
    });
  }
  const url = `http://127.0.0.1:${port}`;
  if (kind === 'ours') await waitHealthy(url, child, 180_000);

  let probeId = 0;
  const probeFn = (o: { gc?: boolean; resetLoop?: boolean } = {}) =>
    new Promise<ProbeResult>((resolve, reject) => {
      const id = ++probeId;
      // Generous: a saturated server answers only once its backlog of deliveries is through.
      const timer = setTimeout(() => reject(new Error(`${kind}: probe timed out`)), 180_000);
      const onMessage = (m: { type?: string; id?: number } & ProbeResult) => {
        if (m?.type !== 'probe' || m.id !== id) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(m);
      };
      child.on('message', onMessage);
      child.send({ type: 'probe', id, ...o });
    });

  let profileId = 0;
  const ask = (msg: { action: 'start' } | { action: 'stop'; path: string }) =>
    new Promise<string | null>((resolve, reject) => {
      const id = ++profileId;
      const onMessage = (m: { type?: string; id?: number; path?: string; error?: string }) => {
        if (m?.type !== 'profile' || m.id !== id) return;
        child.off('message', onMessage);
        if (m.error) reject(new Error(`${kind}: profiler: ${m.error}`));
        else resolve(m.path ?? null);
      };
      child.on('message', onMessage);
      child.send({ type: 'profile', id, ...msg });
    });
  const profileFn = async (phase: string) => {
    const dir = opts.cpuProfDir;
    if (!dir) return async () => null;
    await ask({ action: 'start' });
    const path = `${dir}/${kind}-${phase.replace(/[^\w.-]+/g, '-')}.cpuprofile`;
    return async () => {
      const written = await ask({ action: 'stop', path });
      log(`${kind}: CPU profile of ${phase} in ${written} (summary: pnpm --filter @chat/bench profile ${written})`);
      return written;
    };
  };

  return {
    kind,
    url,
    pid: child.pid ?? 0,
    probe: probeFn,
    profile: profileFn,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.once('exit', () => {
          clearTimeout(kill);
          // A server killed mid-shutdown leaves its embedded PostgreSQL running on the data folder.
          void (kind === 'ours' && !opts.databaseUrl ? stopOrphanedPostgres(dataDir) : Promise.resolve()).then(() => resolve());
        });
        child.kill('SIGTERM');
      }),
  };
}
