import { type AppRouter, MAX_BATCH_CALLS } from '@chat/api';
import { createTRPCClient, createWSClient, httpBatchLink, wsLink } from '@trpc/client';
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { WebSocket } from 'ws';
import { runUserRole } from '../testing/moderation.test-helpers';
import { signUpClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/testing';
import { handshakeOf } from './chat-sockets';
import { createRequestIdentity } from './request-identity';

// Invite links carry the web's origin (ctx.webOrigin); a socket's context reads it from the handshake copy.
const ORIGIN = 'https://chat.example.com';
let server: TestServer;
let token: string;
beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), allowedOrigins: [ORIGIN] });
  const owner = await signUpClient(server, 'owner');
  await owner.client.close();
  expect((await runUserRole(server.databaseUrl, owner.user.username, 'owner')).code).toBe(0);
  token = owner.token;
}, 30_000);
afterAll(() => server?.dispose());

/** A page's socket: the browser sends its Origin on the upgrade. */
class PageWebSocket extends WebSocket {
  constructor(url: string, protocols?: string | string[]) {
    super(url, protocols, { headers: { origin: ORIGIN } });
  }
}

describe('invite links', () => {
  it('made over a WebSocket carry the page origin, as over HTTP', async () => {
    const overHttp = createTRPCClient<AppRouter>({
      links: [httpBatchLink({ url: `${server.url}/trpc`, maxItems: MAX_BATCH_CALLS, headers: () => ({ authorization: `Bearer ${token}`, origin: ORIGIN }) })],
    });
    const ws = createWSClient({ WebSocket: PageWebSocket as unknown as typeof globalThis.WebSocket, url: server.wsUrl, connectionParams: () => ({ token }) });
    const overSocket = createTRPCClient<AppRouter>({ links: [wsLink({ client: ws })] });
    try {
      const viaHttp = await overHttp.admin.createInvite.mutate({});
      const viaSocket = await overSocket.admin.createInvite.mutate({});
      expect(viaHttp.url).toBe(`${ORIGIN}/?invite=${viaHttp.code}`);
      expect(viaSocket.url).toBe(`${ORIGIN}/?invite=${viaSocket.code}`);
    } finally {
      ws.close();
    }
  });

  it("behind a trusted TLS proxy, a socket's handshake keeps the forwarded scheme", () => {
    const identity = createRequestIdentity(true);
    const upgrade = { url: '/ws', headers: { host: 'chat.example.com', 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' }, socket: { remoteAddress: '10.0.0.2' } };
    const req = upgrade as unknown as IncomingMessage;
    expect(identity.webOrigin!(req)).toBe('https://chat.example.com');
    expect(identity.webOrigin!(handshakeOf(req))).toBe(identity.webOrigin!(req));
    expect(identity.ip(handshakeOf(req))).toBe('203.0.113.9');
  });
});
