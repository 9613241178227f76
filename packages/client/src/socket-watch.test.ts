import { startTestServer, type TestServer } from '@chat/server/testing';
import { WebSocket as NodeWebSocket } from 'ws';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { type SocketWatch, watchedWebSocket } from './socket-watch';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl') });
});
afterAll(() => server?.dispose());

it("reports the server's refusal of a bad token as a TRPCClientError with UNAUTHORIZED", async () => {
  const refusals: unknown[] = [];
  const watch: SocketWatch = { onRefused: (e) => refusals.push(e), onAccepted: () => undefined };
  const Watched = watchedWebSocket(NodeWebSocket as unknown as typeof WebSocket, watch);
  const socket = new Watched(server.wsUrl);
  const closed = new Promise((resolve) => socket.addEventListener('close', resolve));
  socket.addEventListener('open', () => socket.send(JSON.stringify({ method: 'connectionParams', data: { token: 'forged' } })));
  await closed;
  expect(refusals).toHaveLength(1);
  expect(refusals[0]).toMatchObject({ data: { code: 'UNAUTHORIZED' } });
});
