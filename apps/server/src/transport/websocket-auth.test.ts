import type { AppRouter } from '@chat/api';
import { createTRPCClient, createWSClient, wsLink } from '@trpc/client';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { WebSocket } from 'ws';
import { CLOSE_CODES } from './chat-server';
import { signUpClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/testing';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), allowedOrigins: ['https://chat.example.com'] });
});
afterAll(() => server?.dispose());

interface SocketOutcome {
  messages: { id?: unknown; error?: { data?: { code?: string } }; result?: unknown }[];
  closeCode: number | null;
  upgradeStatus: number | null;
}

/** Opens a raw socket the way wsLink does, sends `frames`, and records what the server does. */
function rawSocket(opts: { token?: string | null; sendParams?: boolean; origin?: string; frames?: string[]; waitMs?: number }): Promise<SocketOutcome> {
  const outcome: SocketOutcome = { messages: [], closeCode: null, upgradeStatus: null };
  const params = opts.sendParams === false ? '' : '?connectionParams=1';
  const socket = new WebSocket(`${server.wsUrl}${params}`, opts.origin ? { origin: opts.origin } : {});
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.terminate();
      resolve(outcome);
    }, opts.waitMs ?? 2_000);
    socket.on('unexpected-response', (_req, res) => {
      outcome.upgradeStatus = res.statusCode ?? null;
      clearTimeout(timer);
      resolve(outcome);
    });
    socket.on('error', () => {});
    socket.on('open', () => {
      if (opts.sendParams !== false && opts.token !== undefined) {
        socket.send(JSON.stringify({ method: 'connectionParams', data: opts.token === null ? null : { token: opts.token } }));
      }
      for (const frame of opts.frames ?? []) socket.send(frame);
    });
    socket.on('message', (data) => outcome.messages.push(JSON.parse(String(data))));
    socket.on('close', (code) => {
      outcome.closeCode = code;
      clearTimeout(timer);
      resolve(outcome);
    });
  });
}

const subscribeFrame = JSON.stringify({ id: 1, method: 'subscription', params: { path: 'chat.onMessage', input: {} } });

const forge = (opts: { secret?: string; exp?: string | number }) =>
  new SignJWT({ name: 'mallory' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject('00000000-0000-0000-0000-000000000000')
    .setJti('j')
    .setIssuer('chat')
    .setAudience('chat')
    .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
    .setExpirationTime(opts.exp ?? '1h')
    .sign(new TextEncoder().encode(opts.secret ?? server.jwtSecret));

const noneToken = () => {
  const encode = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ sub: 'x', name: 'x', iss: 'chat', aud: 'chat', iat: now, exp: now + 3600, jti: 'j' })}.`;
};

const expectRefused = (outcome: SocketOutcome) => {
  expect(outcome.messages[0]?.error?.data?.code).toBe('UNAUTHORIZED');
  // Nothing but the refusal: the subscription frame sent along never ran.
  expect(outcome.messages.filter((m) => m.result !== undefined)).toEqual([]);
  expect(outcome.closeCode).toBe(CLOSE_CODES.tokenRefused);
};

describe('the WebSocket', () => {
  it('accepts a valid token and serves the subscription', async () => {
    const { token } = await signUpClient(server);
    const outcome = await rawSocket({ token, frames: [subscribeFrame], waitMs: 500 });
    expect(outcome.messages).toContainEqual({ id: 1, result: { type: 'started' } });
    expect(outcome.closeCode).toBeNull();
  });

  it.each([
    ['a missing token', async () => null],
    ['an expired token', () => forge({ exp: Math.floor(Date.now() / 1000) - 3600 })],
    ['a wrong-secret token', () => forge({ secret: 'not-the-server-secret-but-long-enough!!' })],
    ['an alg:none token', async () => noneToken()],
    ['garbage', async () => 'x'.repeat(10_000)],
  ])('refuses %s with UNAUTHORIZED and closes', async (_, makeToken) => {
    expectRefused(await rawSocket({ token: await makeToken(), frames: [subscribeFrame] }));
  });

  it('refuses a socket that announces no connectionParams', async () => {
    expectRefused(await rawSocket({ sendParams: false, frames: [subscribeFrame] }));
  });

  it('closes a socket that sends no connectionParams within 5 seconds', async () => {
    const started = Date.now();
    const outcome = await rawSocket({ token: undefined, waitMs: 8_000 });
    expect(outcome.closeCode).toBe(CLOSE_CODES.authTimeout);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_900);
  }, 15_000);

  it('closes the socket when its token expires, with a distinct code', async () => {
    // A real session whose absolute end caps its token at a second or two from now.
    const { token, client } = await signUpClient(server);
    const { sessionId } = (await server.deps.tokens.verify(token))!;
    await server.orm.em.fork().execute(`update sessions set expires_at = now() + interval '2 seconds' where id = ?`, [sessionId]);
    const { token: shortLived } = await client.trpc.auth.refresh.mutate();
    const outcome = await rawSocket({ token: shortLived, frames: [subscribeFrame], waitMs: 5_000 });
    expect(outcome.messages).toContainEqual({ id: 1, result: { type: 'started' } });
    expect(outcome.closeCode).toBe(CLOSE_CODES.tokenExpired);
  });

  it('refuses the upgrade from a foreign Origin, before any tRPC message', async () => {
    const { token } = await signUpClient(server);
    const outcome = await rawSocket({ token, origin: 'https://evil.example', frames: [subscribeFrame] });
    expect(outcome.upgradeStatus).toBe(403);
    expect(outcome.messages).toEqual([]);
  });

  it('accepts same-origin and ALLOWED_ORIGINS', async () => {
    const { token } = await signUpClient(server);
    for (const origin of [server.url, 'https://chat.example.com']) {
      const outcome = await rawSocket({ token, origin, frames: [subscribeFrame], waitMs: 500 });
      expect(outcome.messages).toContainEqual({ id: 1, result: { type: 'started' } });
    }
  });

  it('closes the socket on a frame over 64 KiB', async () => {
    const { token } = await signUpClient(server);
    const big = JSON.stringify({ id: 2, method: 'mutation', params: { path: 'chat.send', input: { text: 'x'.repeat(70_000) } } });
    const outcome = await rawSocket({ token, frames: [big] });
    expect(outcome.closeCode).toBe(1009);
  });

  it('closes a refused socket with a distinct code, so a client can stop instead of reconnecting in a loop', async () => {
    const token = await forge({ exp: Math.floor(Date.now() / 1000) - 3600 });
    let opens = 0;
    const closeCodes: number[] = [];
    const ws = createWSClient({
      WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
      url: server.wsUrl,
      connectionParams: () => ({ token }),
      retryDelayMs: () => 100,
      onOpen: () => opens++,
      onClose: (cause) => {
        closeCodes.push(cause?.code ?? 0);
        // What the web app and the bot client do with this code: stop, and ask for a new login.
        if (cause?.code === CLOSE_CODES.tokenRefused) ws.close();
      },
    });
    const client = createTRPCClient<AppRouter>({ links: [wsLink({ client: ws })] });
    client.chat.onMessage.subscribe({}, { onError: () => {} });
    await new Promise((r) => setTimeout(r, 1_500));
    expect(closeCodes[0]).toBe(CLOSE_CODES.tokenRefused);
    expect(opens).toBe(1);
  });
});
