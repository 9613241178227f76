// Writes a migration for the difference between the entities and the last snapshot.
// Usage: DATABASE_URL=postgres://... pnpm db:migration:create
import { initORM } from './orm';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('Set DATABASE_URL to a scratch PostgreSQL database (it is only read to compare schemas).');
  process.exit(1);
}
const orm = await initORM({ clientUrl: url, migrationSnapshot: true });
const result = await orm.getMigrator().createMigration();
console.log(result.fileName ? `wrote ${result.fileName}; add it to src/migrations/index.ts` : 'no schema changes');
await orm.close();
