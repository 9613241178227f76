import type {} from 'vitest';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database on the server behind `adminUrl`, so each test file is isolated.
 * The caller runs the migrations (the server does at start, as in production).
 */
export async function createTestDatabase(adminUrl: string): Promise<TestDatabase> {
  const name = `chat_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** A superuser URL (vitest.global-setup.ts); each test file creates its own database on that server. */
    adminDatabaseUrl: string;
  }
}
