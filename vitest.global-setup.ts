import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '@chat/db';

import '@chat/db/testing';

/**
 * Tests run against TEST_DATABASE_URL when it is set (CI points it at the machine's PostgreSQL),
 * else against an embedded PostgreSQL started once for the whole run.
 */
export default async function setup(project: TestProject) {
  const fromEnv = process.env.TEST_DATABASE_URL;
  if (fromEnv) {
    project.provide('adminDatabaseUrl', fromEnv);
    return;
  }
  const embedded = await startEmbeddedPostgres({ dir: new URL('./.data/test-postgres', import.meta.url).pathname });
  project.provide('adminDatabaseUrl', embedded.adminUrl);
  return () => embedded.stop();
}
