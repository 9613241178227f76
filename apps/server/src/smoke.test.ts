import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createTestClient } from './test-client';
import { startTestServer, type TestServer } from './testing';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl') });
});
afterAll(() => server?.dispose());

it('signs up and receives its own message over the subscription', async () => {
  const anon = createTestClient(server, null);
  const { token } = await anon.trpc.auth.signup.mutate({ username: 'smoke', password: 'password123' });
  const client = createTestClient(server, token);
  const received: string[] = [];
  const sub = client.trpc.chat.onMessage.subscribe({}, { onData: (e) => received.push(e.data.text) });
  await new Promise((r) => setTimeout(r, 300));
  await client.trpc.chat.send.mutate({ text: 'hello' });
  await expect.poll(() => received).toEqual(['hello']);
  sub.unsubscribe();
  await client.close();
  await anon.close();
});
