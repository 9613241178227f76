import type { AppRouter } from '@chat/api';
import { TRPCClientError } from '@trpc/client';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { WebSocket } from 'ws';
import { CLOSE_CODES } from '@chat/api';
import { createTestClient, signUpClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/testing';

// Each test names an attack and asserts the documented outcome (SECURITY.md lists them).

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    adminDatabaseUrl: inject('adminDatabaseUrl'),
    rateLimits: {
      loginFailuresPerUserIp: { points: 5, duration: 900 },
      messagesPerUser: { points: 20, duration: 10, burst: 5, burstDuration: 60 },
    },
  });
});
afterAll(() => server?.dispose());

const refusal = async (call: () => Promise<unknown>) => {
  try {
    await call();
  } catch (error) {
    if (error instanceof TRPCClientError) return (error as TRPCClientError<AppRouter>).data ?? { code: 'none', retryAfterSeconds: null };
    throw error;
  }
  throw new Error('expected a refusal');
};

const now = () => Math.floor(Date.now() / 1000);
const sign = (opts: { secret?: string; iss?: string; aud?: string; exp?: number | null; iat?: number; typ?: string } = {}) => {
  const jwt = new SignJWT({ name: 'mallory' })
    .setProtectedHeader({ alg: 'HS256', typ: opts.typ ?? 'JWT' })
    .setSubject('00000000-0000-0000-0000-000000000000')
    .setJti('forged')
    .setIssuer(opts.iss ?? 'chat')
    .setAudience(opts.aud ?? 'chat')
    .setIssuedAt(opts.iat ?? now());
  if (opts.exp !== null) jwt.setExpirationTime(opts.exp ?? now() + 3600);
  return jwt.sign(new TextEncoder().encode(opts.secret ?? server.jwtSecret));
};
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('forged tokens are refused with UNAUTHORIZED', () => {
  it.each([
    ['alg none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'x', name: 'x', iss: 'chat', aud: 'chat', iat: now(), exp: now() + 99, jti: 'j' })}.`],
    ['alg HS512 with the right secret', async () => new SignJWT({ name: 'x' }).setProtectedHeader({ alg: 'HS512', typ: 'JWT' }).setSubject('x').setJti('j').setIssuer('chat').setAudience('chat').setIssuedAt().setExpirationTime('1h').sign(new TextEncoder().encode(server.jwtSecret))],
    ['a wrong secret', () => sign({ secret: 'an-attackers-guess-at-the-secret-0000000' })],
    ['a wrong issuer', () => sign({ iss: 'evil' })],
    ['a wrong audience', () => sign({ aud: 'evil' })],
    ['a missing exp', () => sign({ exp: null })],
    ['an expired exp', () => sign({ iat: now() - 7200, exp: now() - 3600 })],
    ['an iat in the future', () => sign({ iat: now() + 3600, exp: now() + 7200 })],
    ['a wrong typ header', () => sign({ typ: 'at+jwt' })],
    ['a truncated token', async () => (await sign()).slice(0, -10)],
    ['a 1 MB token', async () => `${await sign()}${'A'.repeat(1024 * 1024)}`],
  ])('%s', async (_, makeToken) => {
    const token = await makeToken();
    const res = await fetch(`${server.url}/trpc/auth.me`, { headers: { authorization: `Bearer ${token}` } });
    // Node refuses headers over 16 KiB itself (431) before any of our code runs.
    expect([401, 431]).toContain(res.status);
    if (res.status === 401) expect(((await res.json()) as { error: { data: { code: string } } }).error.data.code).toBe('UNAUTHORIZED');
  });
});

describe('credential attacks', () => {
  it('credential stuffing against one account: blocked after 5 failures, even with the right password, with a retry-after', async () => {
    const { user, password } = await signUpClient(server, 'target');
    const anon = createTestClient(server, null);
    for (let i = 0; i < 5; i++) {
      expect((await refusal(() => anon.trpc.auth.login.mutate({ username: user.username, password: `guess-${i}-wrong` }))).code).toBe('UNAUTHORIZED');
    }
    const blocked = await refusal(() => anon.trpc.auth.login.mutate({ username: user.username, password }));
    expect(blocked.code).toBe('TOO_MANY_REQUESTS');
    expect(blocked.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('a successful login resets the per-account failure count', async () => {
    const { user, password } = await signUpClient(server, 'resetme');
    const anon = createTestClient(server, null);
    for (let i = 0; i < 4; i++) await refusal(() => anon.trpc.auth.login.mutate({ username: user.username, password: 'wrong-password' }));
    await anon.trpc.auth.login.mutate({ username: user.username, password });
    for (let i = 0; i < 4; i++) {
      expect((await refusal(() => anon.trpc.auth.login.mutate({ username: user.username, password: 'wrong-password' }))).code).toBe('UNAUTHORIZED');
    }
  });

  it('credential stuffing from one IP across many accounts: the IP is blocked', async () => {
    const local = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), rateLimits: { loginFailuresPerIp: { points: 8, duration: 3600 } } });
    try {
      const anon = createTestClient(local, null);
      const codes: string[] = [];
      for (let i = 0; i < 10; i++) codes.push((await refusal(() => anon.trpc.auth.login.mutate({ username: `victim${i}`, password: 'password123' }))).code);
      expect(codes.slice(0, 8)).toEqual(Array(8).fill('UNAUTHORIZED'));
      expect(codes.slice(8)).toEqual(['TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS']);
    } finally {
      await local.dispose();
    }
  });

  it('signup flood from one IP: refused after the hourly allowance', async () => {
    const local = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), rateLimits: { signupsPerIp: { points: 3, duration: 3600 } } });
    try {
      const anon = createTestClient(local, null);
      for (let i = 0; i < 3; i++) await anon.trpc.auth.signup.mutate({ username: `flood${i}`, password: 'correct horse battery' });
      expect((await refusal(() => anon.trpc.auth.signup.mutate({ username: 'flood9', password: 'correct horse battery' }))).code).toBe('TOO_MANY_REQUESTS');
      expect(await local.deps.orm.em.fork().getConnection().execute('select count(*)::int as n from users')).toEqual([{ n: 3 }]);
    } finally {
      await local.dispose();
    }
  });

  it('a login storm is queued or refused with TOO_MANY_REQUESTS, never crashes the server', async () => {
    const local = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), hashQueue: { concurrency: 1, maxWaiting: 3, maxWaitMs: 2_000 } });
    try {
      const { user, password } = await signUpClient(local, 'storm');
      const anon = createTestClient(local, null);
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, () => anon.trpc.auth.login.mutate({ username: user.username, password }).then(() => 'ok', (e: TRPCClientError<AppRouter>) => e.data?.code)),
      );
      expect(outcomes).toContain('ok');
      expect(outcomes).toContain('TOO_MANY_REQUESTS');
      expect(new Set(outcomes)).toEqual(new Set(['ok', 'TOO_MANY_REQUESTS']));
      expect((await fetch(`${local.url}/healthz`)).status).toBe(200);
    } finally {
      await local.dispose();
    }
  });

  it('a 129-character password is refused before hashing', async () => {
    const anon = createTestClient(server, null);
    expect((await refusal(() => anon.trpc.auth.login.mutate({ username: 'whoever', password: 'x'.repeat(129) }))).code).toBe('BAD_REQUEST');
  });
});

describe('flooding', () => {
  it('message flood: refused past 20 per 10 s plus a burst of 5, and only the accepted ones are stored', async () => {
    const { client, user, token } = await signUpClient(server, 'flooder');
    const outcomes: string[] = [];
    for (let i = 0; i < 30; i++) outcomes.push(await client.trpc.chat.send.mutate({ text: `spam ${i}` }).then(() => 'ok', (e: TRPCClientError<AppRouter>) => e.data?.code ?? 'x'));
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(25);
    expect(outcomes.slice(25)).toEqual(Array(5).fill('TOO_MANY_REQUESTS'));
    const refused = await fetch(`${server.url}/trpc/chat.send`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'one more' }),
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const stored = await server.deps.orm.em.fork().getConnection().execute('select count(*)::int as n from messages where author_id = ?', [user.id]);
    expect(stored).toEqual([{ n: 25 }]);
  });

  it('WebSocket connection flood from one IP: refused with 429', async () => {
    const local = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), rateLimits: { wsConnectsPerIp: { points: 3, duration: 60 } } });
    try {
      const statuses: (number | 'open')[] = [];
      for (let i = 0; i < 5; i++) {
        statuses.push(
          await new Promise((resolve) => {
            const ws = new WebSocket(local.wsUrl);
            ws.on('open', () => {
              ws.terminate();
              resolve('open');
            });
            ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
            ws.on('error', () => {});
          }),
        );
      }
      expect(statuses).toEqual(['open', 'open', 'open', 429, 429]);
    } finally {
      await local.dispose();
    }
  });
});

describe('revoked tokens', () => {
  it('auth.logout revokes the token for HTTP, refuses it on a new socket, and closes its open sockets', async () => {
    const { client, token } = await signUpClient(server, 'leaver');
    const raw = new WebSocket(`${server.wsUrl}?connectionParams=1`);
    const closed = new Promise<number>((resolve) => raw.on('close', resolve));
    await new Promise((resolve) => raw.on('open', resolve));
    raw.send(JSON.stringify({ method: 'connectionParams', data: { token } }));
    raw.send(JSON.stringify({ id: 1, method: 'subscription', params: { path: 'chat.onMessage', input: {} } }));
    await new Promise((resolve) => raw.on('message', resolve));

    await client.trpc.auth.logout.mutate();
    expect(await closed).toBe(CLOSE_CODES.tokenRevoked);
    expect((await refusal(() => client.trpc.auth.me.query())).code).toBe('UNAUTHORIZED');
    // A new socket with the revoked token: refused with UNAUTHORIZED, then closed with "token refused".
    const retry = new WebSocket(`${server.wsUrl}?connectionParams=1`);
    const refused = new Promise<{ code: unknown; close: number }>((resolve) => {
      let code: unknown;
      retry.on('message', (data) => (code = (JSON.parse(String(data)) as { error?: { data?: { code?: string } } }).error?.data?.code));
      retry.on('close', (close) => resolve({ code, close }));
    });
    await new Promise((resolve) => retry.on('open', resolve));
    retry.send(JSON.stringify({ method: 'connectionParams', data: { token } }));
    expect(await refused).toEqual({ code: 'UNAUTHORIZED', close: CLOSE_CODES.tokenRefused });
  });

  it('logging out one session leaves the same user’s other sessions working', async () => {
    const { client, user, password } = await signUpClient(server, 'twotabs');
    const other = await createTestClient(server, null).trpc.auth.login.mutate({ username: user.username, password });
    await client.trpc.auth.logout.mutate();
    expect(await createTestClient(server, other.token).trpc.auth.me.query()).toEqual(user);
  });
});

describe('hostile content', () => {
  it('HTML and script in a message are stored and returned verbatim, as data', async () => {
    const { client } = await signUpClient(server);
    const text = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    expect((await client.trpc.chat.send.mutate({ text })).text).toBe(text);
  });

  it('HTML in a username is refused with BAD_REQUEST', async () => {
    const anon = createTestClient(server, null);
    expect((await refusal(() => anon.trpc.auth.signup.mutate({ username: '<img src=x>', password: 'password123' }))).code).toBe('BAD_REQUEST');
  });

  it('control characters are stripped, NFC applied, and zero-width-only messages refused', async () => {
    const { client } = await signUpClient(server);
    const sent = await client.trpc.chat.send.mutate({ text: 'a\u0000b\u0007c\r\nd\te\u001b[31m' + 'e\u0301' });
    expect(sent.text).toBe('abc\nd\te[31m\u00e9');
    expect((await refusal(() => client.trpc.chat.send.mutate({ text: '\u200b\u200b\u2060\ufeff' }))).code).toBe('BAD_REQUEST');
    // Zero-width joiners inside an emoji sequence are content, not blankness.
    expect((await client.trpc.chat.send.mutate({ text: '👩\u200d💻' })).text).toBe('👩\u200d💻');
  });

  it('control characters in a search are dropped (a NUL alone is refused), never a database error', async () => {
    const { client, user } = await signUpClient(server, 'nulsearch');
    expect((await refusal(() => client.trpc.user.search.query({ query: '\u0000' }))).code).toBe('BAD_REQUEST');
    const found = await client.trpc.user.search.query({ query: `${user.username.slice(0, 3)}\u0000${user.username.slice(3)}` });
    expect(found.map((u) => u.id)).toContain(user.id);
  });

  it('LIKE wildcards in search match literally', async () => {
    const { client } = await signUpClient(server);
    expect(await client.trpc.user.search.query({ query: '%' })).toEqual([]);
  });

  it('unknown keys and wrong types are refused with BAD_REQUEST on every input', async () => {
    const { client } = await signUpClient(server);
    const calls = [
      () => client.trpc.chat.send.mutate({ text: 'x', extra: 1 } as never),
      () => client.trpc.chat.history.query({ limit: '5' } as never),
      () => client.trpc.user.search.query({ query: ['a'] } as never),
      () => client.trpc.auth.login.mutate({ username: 'x'.repeat(5), password: 'password123', role: 'admin' } as never),
    ];
    for (const call of calls) expect((await refusal(call)).code).toBe('BAD_REQUEST');
  });
});

describe('errors', () => {
  it('an internal failure returns a generic INTERNAL_SERVER_ERROR with a request id, and no stack or SQL', async () => {
    const local = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl') });
    const { token } = await signUpClient(local);
    await local.orm.close(true);
    const res = await fetch(`${local.url}/trpc/chat.history`, { headers: { authorization: `Bearer ${token}` } });
    const body = await res.text();
    expect(res.status).toBe(500);
    const parsed = JSON.parse(body) as { error: { message: string; data: { code: string; requestId: string } } };
    expect(parsed.error.data.code).toBe('INTERNAL_SERVER_ERROR');
    expect(parsed.error.data.requestId).toBe(res.headers.get('x-request-id'));
    expect(parsed.error.message).toBe('Internal server error; please try again');
    expect(body).not.toMatch(/select|from messages|stack|\.ts:\d+|node_modules|knex|pool/i);
    await local.stop();
  });

  it('API responses forbid framing and carry a restrictive CSP', async () => {
    const res = await fetch(`${server.url}/trpc/auth.me`);
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });
});
