import { startTestServer, type TestServer } from '@chat/server/testing';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import type { ChatClient } from './index';

// The client's tests' shared setup: one real server per test file, clients closed after it.

/** Polls longer than vitest's 1 s default: the whole suite shares two cores and a database. */
export const eventually = <T>(fn: () => T, opts: { timeout?: number } = {}) => expect.poll(fn, { timeout: 5_000, ...opts });

let counter = 0;
/** A username no other test of the run takes. */
export const uniqueName = (prefix: string) => `${prefix}${Date.now().toString(36).slice(-5)}${counter++}`;

/** Starts a server before the file's tests and, after them, closes every client `keep` was given, then the server. */
export function useTestServer(options: Omit<Parameters<typeof startTestServer>[0], 'adminDatabaseUrl'> = {}): { readonly server: TestServer; keep<C extends ChatClient>(client: C): C } {
  let server: TestServer | undefined;
  const open: ChatClient[] = [];
  beforeAll(async () => {
    server = await startTestServer({ ...options, adminDatabaseUrl: inject('adminDatabaseUrl') });
  });
  afterAll(async () => {
    await Promise.all(open.map((c) => c.close()));
    await server?.dispose();
  });
  return {
    get server() {
      if (!server) throw new Error('The test server starts in beforeAll');
      return server;
    },
    keep(client) {
      open.push(client);
      return client;
    },
  };
}
