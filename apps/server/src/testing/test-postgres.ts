import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@chat/db/free-port';

const run = promisify(execFile);

/** Where Debian/Ubuntu put PostgreSQL 15's server binaries (the CI image's PostgreSQL). */
export const POSTGRES_BIN = '/usr/lib/postgresql/15/bin';

/**
 * True when initdb and pg_ctl are there, for fault tests that stop a PostgreSQL of their own.
 * Without them (a laptop with only Node) those tests are skipped with a message; under CI
 * they are an error, since the CI image has them.
 */
export function postgresBinariesAvailable(file: string): boolean {
  const ok = existsSync(join(POSTGRES_BIN, 'initdb')) && existsSync(join(POSTGRES_BIN, 'pg_ctl'));
  if (!ok && process.env.CI) throw new Error(`${file}: no PostgreSQL server binaries in ${POSTGRES_BIN}`);
  if (!ok) console.warn(`${file} skipped: no PostgreSQL server binaries in ${POSTGRES_BIN}`);
  return ok;
}

export interface ScratchPostgres {
  /** Superuser URL (trust authentication) of its `postgres` database. */
  adminUrl: string;
  /** Stops it (fast shutdown: sessions are terminated, as an operator's restart does). */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it at once and deletes its data. */
  dispose(): Promise<void>;
}

/**
 * A throwaway PostgreSQL in a temporary folder on a free port, that a test may stop and start:
 * never the machine's own, which other tests and sessions share. PostgreSQL refuses to run as
 * root, so as root it runs as the `postgres` user.
 */
export async function startScratchPostgres(): Promise<ScratchPostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'chat-pg-'));
  const data = join(dir, 'data');
  let user: { uid: number; gid: number } | object = {};
  if (process.getuid?.() === 0) {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    user = { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
    await chown(dir, (user as { uid: number }).uid, (user as { gid: number }).gid);
  }
  const port = await freePort();
  const pgCtl = (...args: string[]) => run(join(POSTGRES_BIN, 'pg_ctl'), ['-D', data, ...args], { ...user, timeout: 30_000 });
  await run(join(POSTGRES_BIN, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8'], { ...user, timeout: 60_000 });
  // Sockets in the temp folder; fsync off: nothing here has to survive a crash of the machine.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = async () => void (await pgCtl('-o', options, '-l', join(dir, 'log'), '-w', 'start'));
  await start();
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => void (await pgCtl('-m', 'fast', '-w', 'stop')),
    start,
    async dispose() {
      await pgCtl('-m', 'immediate', '-w', 'stop').catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
