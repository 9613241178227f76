import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { WebSocket } from 'ws';
import { signUpClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/testing';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), keepAlive: { pingMs: 400, pongWaitMs: 400 } });
});
afterAll(() => server?.dispose());

/** An authenticated, subscribed raw socket that records text frames and its close code. */
async function subscriber(token: string, answerPings: boolean) {
  const socket = new WebSocket(`${server.wsUrl}?connectionParams=1`);
  const seen = { pings: 0, closeCode: null as number | null };
  socket.on('message', (data) => {
    if (String(data) !== 'PING') return;
    seen.pings++;
    if (answerPings) socket.send('PONG');
  });
  socket.on('close', (code) => (seen.closeCode = code));
  await new Promise((r) => socket.on('open', r));
  socket.send(JSON.stringify({ method: 'connectionParams', data: { token } }));
  socket.send(JSON.stringify({ id: 1, method: 'subscription', params: { path: 'chat.onMessage', input: {} } }));
  return { socket, seen };
}

it('signup, login, messages, history and subscriptions leave Node 20 promise hooks off', async () => {
  // Once any AsyncLocalStorage runs (a MikroORM flush does), every promise carries a store property.
  const hooked = () => Object.getOwnPropertySymbols(Promise.resolve()).length > 0;
  expect(hooked()).toBe(false);
  const { token, client, user } = await signUpClient(server);
  await client.trpc.auth.login.mutate({ username: user.username, password: 'correct horse battery' });
  const live = await subscriber(token, true);
  await client.trpc.chat.send.mutate({ text: 'one', clientMessageId: 'hooks-1' });
  await client.trpc.chat.send.mutate({ text: 'one', clientMessageId: 'hooks-1' });
  await client.trpc.chat.history.query({ limit: 10 });
  await client.trpc.user.search.query({ query: user.username });
  await client.trpc.auth.me.query();
  expect(hooked()).toBe(false);
  live.socket.close();
  await client.close();
});

it('pings a quiet socket and drops it when nothing answers, but keeps one that answers', async () => {
  const { token } = await signUpClient(server);
  const silent = await subscriber(token, false);
  const answering = await subscriber(token, true);
  await expect.poll(() => silent.seen.closeCode, { timeout: 3_000 }).toBe(1006);
  expect(silent.seen.pings).toBe(1);
  await new Promise((r) => setTimeout(r, 1_000));
  expect(answering.seen.pings).toBeGreaterThanOrEqual(2);
  expect(answering.seen.closeCode).toBeNull();
  answering.socket.close();
});
