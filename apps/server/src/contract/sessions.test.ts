import { randomBytes, randomUUID } from 'node:crypto';
import type { AppRouter } from '@chat/api';
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import { decodeJwt, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { WebSocket } from 'ws';
import { CLOSE_CODES } from '@chat/api';
import { liveSocket, signUpClient } from '../testing/test-client';
import { redisAvailable, TEST_REDIS_URL } from '../testing/test-redis';
import { startTestServer, type TestServer } from '../testing/testing';

const GRACE_MS = 1_500;
const SYNC_MS = 200;
const timing = { rotationGraceMs: GRACE_MS, syncMs: SYNC_MS };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, predicate: () => boolean | Promise<boolean>, ms = 5_000) {
  const end = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** HTTP with exactly this token. */
const http = (server: Pick<TestServer, 'url'>, token: string) =>
  createTRPCClient<AppRouter>({ links: [httpLink({ url: `${server.url}/trpc`, headers: { authorization: `Bearer ${token}` } })] });
const anonymous = (server: Pick<TestServer, 'url'>) => createTRPCClient<AppRouter>({ links: [httpLink({ url: `${server.url}/trpc` })] });

const codeOf = async (call: Promise<unknown>) =>
  call.then(
    () => 'OK',
    (error: unknown) => (error instanceof TRPCClientError ? String(error.data?.code) : String(error)),
  );

/** Whether the refusal said the session was logged out (`data.sessionEnded`), not merely "log in again". */
const saysLoggedOut = async (call: Promise<unknown>) =>
  call.then(
    () => false,
    (error: unknown) => error instanceof TRPCClientError && (error.data as { sessionEnded?: boolean } | undefined)?.sessionEnded === true,
  );

/** How a new socket with `token` is refused: its close code, and whether its error said the session was logged out. */
async function socketRefusal(server: Pick<TestServer, 'wsUrl'>, token: string): Promise<{ close: number; sessionEnded: boolean }> {
  const socket = new WebSocket(`${server.wsUrl}?connectionParams=1`);
  let sessionEnded = false;
  socket.on('open', () => socket.send(JSON.stringify({ method: 'connectionParams', data: { token } })));
  socket.on('message', (raw) => {
    const reply = JSON.parse(String(raw)) as { error?: { data?: { sessionEnded?: boolean } } };
    sessionEnded ||= reply.error?.data?.sessionEnded === true;
  });
  return new Promise((resolve) => socket.on('close', (close) => resolve({ close, sessionEnded })));
}

/** Whether the server accepts `token` on a new socket (it answers a refusal with close 4400). */
async function socketAccepted(server: Pick<TestServer, 'wsUrl'>, token: string): Promise<boolean> {
  const socket = new WebSocket(`${server.wsUrl}?connectionParams=1`);
  return new Promise((resolve) => {
    socket.on('open', () => {
      socket.send(JSON.stringify({ method: 'connectionParams', data: { token } }));
      socket.send(JSON.stringify({ id: 1, method: 'subscription', params: { path: 'chat.onMessage', input: {} } }));
    });
    socket.on('message', (raw) => {
      const message = JSON.parse(String(raw)) as { id: unknown; result?: { type?: string } };
      if (message.id === 1 && message.result?.type === 'started') {
        socket.close();
        resolve(true);
      }
    });
    socket.on('close', () => resolve(false));
    socket.on('error', () => resolve(false));
  });
}

const sessionOf = (token: string) => decodeJwt(token).sid as string;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), sessionTiming: timing });
});
afterAll(() => server?.dispose());

describe('refresh rotates the session token', () => {
  it('keeps the session id, and the replaced token works only for the grace', async () => {
    const { token: old } = await signUpClient(server);
    const { token: fresh } = await http(server, old).auth.refresh.mutate();
    expect(sessionOf(fresh)).toBe(sessionOf(old));
    expect(decodeJwt(fresh).jti).not.toBe(decodeJwt(old).jti);
    // Within the grace both work (a request in flight with the old one must not fail).
    expect(await codeOf(http(server, old).auth.me.query())).toBe('OK');
    expect(await codeOf(http(server, fresh).auth.me.query())).toBe('OK');
    await sleep(GRACE_MS + 300);
    expect(await codeOf(http(server, old).auth.me.query())).toBe('UNAUTHORIZED');
    expect(await codeOf(http(server, old).chat.history.query({}))).toBe('UNAUTHORIZED');
    expect(await codeOf(http(server, old).auth.refresh.mutate())).toBe('UNAUTHORIZED');
    // Replaced, not logged out: a client must not tell its user "you were logged out".
    expect(await saysLoggedOut(http(server, old).auth.me.query())).toBe(false);
    expect(await socketRefusal(server, old)).toEqual({ close: CLOSE_CODES.tokenRefused, sessionEnded: false });
    expect(await socketAccepted(server, old)).toBe(false);
    expect(await codeOf(http(server, fresh).auth.me.query())).toBe('OK');
    expect(await socketAccepted(server, fresh)).toBe(true);
  });

  it('a refresh retried with the replaced token within the grace gets the newest token again, not a fork', async () => {
    const { token: old } = await signUpClient(server);
    const [a, b] = await Promise.all([http(server, old).auth.refresh.mutate(), http(server, old).auth.refresh.mutate()]);
    expect(decodeJwt(a.token).jti).toBe(decodeJwt(b.token).jti);
    await sleep(GRACE_MS + 300);
    expect(await codeOf(http(server, a.token).auth.me.query())).toBe('OK');
    expect(await codeOf(http(server, b.token).auth.me.query())).toBe('OK');
  });

  it('moves an open socket to the new token before the grace ends, with no message lost', async () => {
    const { token } = await signUpClient(server);
    const live = liveSocket(server, token);
    await until('socket open', () => live.state.opens === 1);
    await sleep(200);
    const { token: fresh } = await http(server, token).auth.refresh.mutate();
    live.state.token = fresh;
    // The server asks the client to reconnect; the new socket opens (with the new token) before the old one closes.
    await until('second socket', () => live.state.opens === 2, GRACE_MS + 2_000);
    await sleep(GRACE_MS);
    await http(server, fresh).chat.send.mutate({ text: 'after the move' });
    await until('delivery', () => live.state.messages.includes('after the move'));
    // No refusal or expiry on the way: the old socket was retired by the client, not closed for its token.
    expect(live.state.closeCodes.filter((c) => c === CLOSE_CODES.tokenExpired || c === CLOSE_CODES.tokenRefused)).toEqual([]);
    await live.close();
  });

  it('closes a socket still on the replaced token when the grace ends (code 4401)', async () => {
    const { token } = await signUpClient(server);
    const live = liveSocket(server, token);
    await until('socket open', () => live.state.opens === 1);
    await http(server, token).auth.refresh.mutate();
    // This client never adopts the new token: each socket it opens is moved along, then closed.
    await until('closed for its token', () => live.state.closeCodes.includes(CLOSE_CODES.tokenExpired), GRACE_MS + 2_000);
    await live.close();
  });
});

describe('logout ends the whole session', () => {
  it('every token of the session stops working, including ones refreshed before the logout, and its sockets close', async () => {
    const { token: t0 } = await signUpClient(server);
    const { token: t1 } = await http(server, t0).auth.refresh.mutate();
    const live = liveSocket(server, t1);
    await until('socket open', () => live.state.opens === 1);
    const other = await http(server, t1).auth.login.mutate({ username: (await http(server, t1).auth.me.query()).username, password: 'correct horse battery' });
    // Logging out with the older token (still in its grace) ends the session t1 belongs to.
    await http(server, t0).auth.logout.mutate();
    for (const token of [t0, t1]) {
      expect(await codeOf(http(server, token).auth.me.query())).toBe('UNAUTHORIZED');
      expect(await codeOf(http(server, token).chat.send.mutate({ text: 'x' }))).toBe('UNAUTHORIZED');
      expect(await codeOf(http(server, token).auth.refresh.mutate())).toBe('UNAUTHORIZED');
      // Each says why, so whichever call of the session hears it first tells the user the same thing.
      expect(await saysLoggedOut(http(server, token).chat.history.query({}))).toBe(true);
      expect(await saysLoggedOut(http(server, token).auth.refresh.mutate())).toBe(true);
      // A socket the client reopens meanwhile is refused as before (4400: the promise to bots), its error saying why.
      expect(await socketRefusal(server, token)).toEqual({ close: CLOSE_CODES.tokenRefused, sessionEnded: true });
    }
    await until('socket closed as revoked', () => live.state.closeCodes.includes(CLOSE_CODES.tokenRevoked), 2_000);
    expect(await socketAccepted(server, t1)).toBe(false);
    // Another login of the same user is another session: untouched.
    expect(await codeOf(http(server, other.token).auth.me.query())).toBe('OK');
    await live.close();
  });
});

describe('absolute lifetime', () => {
  let short: TestServer;
  beforeAll(async () => {
    short = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), sessionLifetimeSeconds: 3, sessionTiming: timing });
  });
  afterAll(() => short?.dispose());

  it('refreshing never extends a session past its lifetime from the password login', async () => {
    const { token } = await signUpClient(short);
    const end = decodeJwt(token).exp!;
    expect(end - decodeJwt(token).iat!).toBeLessThanOrEqual(3);
    await sleep(1_000);
    const { token: refreshed } = await http(short, token).auth.refresh.mutate();
    expect(decodeJwt(refreshed).exp).toBeLessThanOrEqual(end);
    // Past the end (its token expired too): refused, and refresh cannot revive it.
    await sleep(Math.max(0, end * 1000 - Date.now()) + 1_200);
    expect(await codeOf(http(short, refreshed).auth.refresh.mutate())).toBe('UNAUTHORIZED');
    expect(await codeOf(http(short, refreshed).auth.me.query())).toBe('UNAUTHORIZED');
  });

  it('a session row past its end refuses a token that has not expired yet', async () => {
    const { token } = await signUpClient(short);
    await short.orm.em.fork().execute(`update sessions set expires_at = now() - interval '1 second' where id = ?`, [sessionOf(token)]);
    expect(await codeOf(http(short, token).auth.me.query())).toBe('UNAUTHORIZED');
  });
});

describe('tokens that are not ours to honour', () => {
  const forge = (claims: { sub: string; sid?: string; jti?: string; iat?: number; exp?: number; name?: string }) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ name: claims.name ?? 'ghost', ...(claims.sid ? { sid: claims.sid } : {}) })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.sub)
      .setJti(claims.jti ?? randomUUID())
      .setIssuer('chat')
      .setAudience('chat')
      .setIssuedAt(claims.iat ?? now)
      .setExpirationTime(claims.exp ?? now + 600)
      .sign(new TextEncoder().encode(server.jwtSecret));
  };
  const refusedEverywhere = async (token: string) => {
    const api = http(server, token);
    expect(await codeOf(api.auth.me.query())).toBe('UNAUTHORIZED');
    expect(await codeOf(api.chat.send.mutate({ text: 'boo' }))).toBe('UNAUTHORIZED');
    expect(await codeOf(api.chat.history.query({}))).toBe('UNAUTHORIZED');
    expect(await codeOf(api.auth.refresh.mutate())).toBe('UNAUTHORIZED');
    expect(await codeOf(api.user.search.query({ query: 'a' }))).toBe('UNAUTHORIZED');
    expect(await socketAccepted(server, token)).toBe(false);
  };

  it('a validly signed token whose user was deleted', async () => {
    const { token, user } = await signUpClient(server);
    await server.orm.em.fork().execute('delete from users where id = ?', [user.id]);
    await refusedEverywhere(token);
  });

  it('a validly signed token whose sub is not a user id, or which has no session', async () => {
    await refusedEverywhere(await forge({ sub: 'not-a-user', sid: randomUUID() }));
    await refusedEverywhere(await forge({ sub: randomUUID(), sid: randomUUID() }));
    await refusedEverywhere(await forge({ sub: randomUUID() }));
    // A real session but someone else's user id in sub.
    const { token } = await signUpClient(server);
    const { jti, sid } = decodeJwt(token) as { jti: string; sid: string };
    await refusedEverywhere(await forge({ sub: randomUUID(), sid, jti }));
  });

  it('a token whose lifetime (exp - iat) exceeds the configured TTL', async () => {
    const { token, user } = await signUpClient(server);
    const { jti, sid } = decodeJwt(token) as { jti: string; sid: string };
    const now = Math.floor(Date.now() / 1000);
    // The same claims with the TTL's lifetime are accepted: only the length is wrong below.
    expect(await codeOf(http(server, await forge({ sub: user.id, name: user.username, sid, jti, iat: now, exp: now + 3600 })).auth.me.query())).toBe('OK');
    const longLived = await forge({ sub: user.id, name: user.username, sid, jti, iat: now - 60, exp: now + 3600 });
    expect(await codeOf(http(server, longLived).auth.me.query())).toBe('UNAUTHORIZED');
    expect(await socketAccepted(server, longLived)).toBe(false);
  });
});

const hasRedis = await redisAvailable('sessions.test.ts');
describe.skipIf(!hasRedis)('across two instances', () => {
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    const shared = { redisUrl: TEST_REDIS_URL, redisPrefix: `test:${randomBytes(6).toString('hex')}:`, jwtSecret: randomBytes(32).toString('base64url'), sessionTiming: timing };
    a = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), ...shared });
    b = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), databaseUrl: a.databaseUrl, ...shared });
  });
  afterAll(async () => {
    await b?.dispose();
    await a?.dispose();
  });

  /** One user with two sessions, each with a socket: the first on A, the second on B. */
  async function twoSessions() {
    const first = await signUpClient(a);
    const second = await anonymous(b).auth.login.mutate({ username: first.user.username, password: first.password });
    const onA = liveSocket(a, first.token);
    const onB = liveSocket(b, second.token);
    await until('both sockets open', () => onA.state.opens === 1 && onB.state.opens === 1);
    return { first, second, onA, onB };
  }

  it('logoutEverywhere ends every session of the user and closes their sockets on both instances', async () => {
    const { first, second, onA, onB } = await twoSessions();
    const bystander = await signUpClient(b);
    const result = await http(a, first.token).auth.logoutEverywhere.mutate();
    expect(result.endedSessions).toBe(2);
    await until('both sockets closed as revoked', () => onA.state.closeCodes.includes(CLOSE_CODES.tokenRevoked) && onB.state.closeCodes.includes(CLOSE_CODES.tokenRevoked), 3_000);
    for (const server of [a, b]) {
      for (const token of [first.token, second.token]) expect(await codeOf(http(server, token).auth.me.query())).toBe('UNAUTHORIZED');
    }
    expect(await codeOf(http(b, bystander.token).auth.me.query())).toBe('OK');
    await Promise.all([onA.close(), onB.close()]);
  });

  it('changePassword needs the current password, ends every other session on both instances, and keeps this one', async () => {
    const { first, second, onA, onB } = await twoSessions();
    const wrong = await codeOf(http(a, first.token).auth.changePassword.mutate({ currentPassword: 'not the password', newPassword: 'a new long passphrase' }));
    expect(wrong).toBe('FORBIDDEN');
    expect(await codeOf(http(b, second.token).auth.me.query())).toBe('OK');

    const result = await http(a, first.token).auth.changePassword.mutate({ currentPassword: first.password, newPassword: 'a new long passphrase' });
    expect(result.endedSessions).toBe(1);
    await until('the other session’s socket closed', () => onB.state.closeCodes.includes(CLOSE_CODES.tokenRevoked), 3_000);
    expect(await codeOf(http(b, second.token).auth.me.query())).toBe('UNAUTHORIZED');
    expect(await codeOf(http(a, second.token).auth.me.query())).toBe('UNAUTHORIZED');
    // This session goes on, socket included.
    expect(await codeOf(http(b, first.token).auth.me.query())).toBe('OK');
    expect(onA.state.closeCodes).toEqual([]);
    expect(await codeOf(anonymous(a).auth.login.mutate({ username: first.user.username, password: first.password }))).toBe('UNAUTHORIZED');
    expect(await codeOf(anonymous(b).auth.login.mutate({ username: first.user.username, password: 'a new long passphrase' }))).toBe('OK');
    await Promise.all([onA.close(), onB.close()]);
  });

  it('a refresh on one instance moves the session’s socket on the other', async () => {
    const { token } = await signUpClient(a);
    const live = liveSocket(b, token);
    await until('socket open', () => live.state.opens === 1);
    live.state.token = (await http(a, token).auth.refresh.mutate()).token;
    await until('moved to a second socket', () => live.state.opens === 2, GRACE_MS + 2_000);
    await live.close();
  });
});
