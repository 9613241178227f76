import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_USERNAMES, seedDemoData } from './seed';
import { createTestClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/testing';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl') });
});
afterAll(() => server?.dispose());

describe('seedDemoData', () => {
  it('creates the demo users with working random passwords and a short conversation', async () => {
    const result = await seedDemoData(server.deps);
    expect(result.created.map((u) => u.username)).toEqual([...DEMO_USERNAMES]);
    expect(new Set(result.created.map((u) => u.password)).size).toBe(DEMO_USERNAMES.length);
    expect(result.messagesPosted).toBeGreaterThan(0);

    const bob = result.created.find((u) => u.username === 'bob');
    const { token } = await createTestClient(server, null).trpc.auth.login.mutate({ username: 'bob', password: bob?.password ?? '' });
    const history = await createTestClient(server, token).trpc.chat.history.query({});
    expect(history.messages).toHaveLength(result.messagesPosted);
    expect(new Set(history.messages.map((m) => m.author.username))).toEqual(new Set(DEMO_USERNAMES));
    const rooms = await createTestClient(server, token).trpc.room.list.query();
    expect(rooms.map((r) => `${r.kind}:${r.name}`).sort()).toEqual(['channel:everyone', 'channel:random', 'dm:alice']);
  });

  it('keeps existing users and posts nothing on a second run', async () => {
    const again = await seedDemoData(server.deps);
    expect(again).toEqual({ created: [], existing: [...DEMO_USERNAMES], messagesPosted: 0 });
  });
});
