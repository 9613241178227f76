import { afterAll, beforeAll, inject } from 'vitest';
import { initORM, migrate, type Orm } from './orm';
import { createTestDatabase, type TestDatabase } from './testing';

/**
 * This test file's own database, migrated, with an ORM on it: made before its tests, closed and
 * dropped after them. Read `orm` and `url` inside tests and hooks (they exist from beforeAll on).
 * Kept apart from testing.ts, which the global setup and the bench import outside a test run.
 * `migrated: false` leaves the schema empty, for a migration test that migrates up to its own point.
 */
export function useMigratedDatabase(opts: { poolMax?: number; migrated?: boolean } = {}) {
  let db: TestDatabase | undefined;
  let orm: Orm | undefined;
  beforeAll(async () => {
    db = await createTestDatabase(inject('adminDatabaseUrl'));
    orm = await initORM({ clientUrl: db.url, ...(opts.poolMax === undefined ? {} : { poolMax: opts.poolMax }) });
    if (opts.migrated !== false) await migrate(orm);
  });
  afterAll(async () => {
    await orm?.close();
    await db?.drop();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useMigratedDatabase: read inside a test or hook, after beforeAll');
    return value;
  };
  return {
    get orm(): Orm {
      return ready(orm);
    },
    get url(): string {
      return ready(db).url;
    },
  };
}
