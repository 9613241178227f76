import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useMigratedDatabase } from './test-database';

const snapshot = fileURLToPath(new URL('./migrations/.snapshot.json', import.meta.url));
const before = { text: readFileSync(snapshot, 'utf8'), mtimeMs: statSync(snapshot).mtimeMs };
// Migrated in beforeAll, after the file was read above: every migration applied to a fresh database.
const db = useMigratedDatabase();

describe('migrations/.snapshot.json', () => {
  it('is left as committed when the migrations run (only pnpm db:migration:create writes it)', async () => {
    const applied = await db.orm.getMigrator().getExecutedMigrations();
    expect(applied.length).toBeGreaterThan(10);
    expect(statSync(snapshot).mtimeMs).toBe(before.mtimeMs);
    expect(readFileSync(snapshot, 'utf8')).toBe(before.text);
  });

  it('is still what a new migration is diffed against: the entities match it, so there is nothing to create', async () => {
    const { initORM } = await import('./orm');
    const orm = await initORM({ clientUrl: db.url, migrationSnapshot: true });
    try {
      expect(await orm.getMigrator().checkMigrationNeeded()).toBe(false);
    } finally {
      await orm.close();
    }
    expect(readFileSync(snapshot, 'utf8')).toBe(before.text);
  });
});
