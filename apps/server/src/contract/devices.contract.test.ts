import { type AppRouter, CLOSE_CODES } from '@chat/api';
import { createTRPCClient, httpLink } from '@trpc/client';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { codeOf, sleep } from '../testing/rooms.test-helpers';
import { liveSocket, signUpClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/testing';

// Sessions and devices (docs/decisions/156-sessions-and-devices.md): each login's device as a label made from
// its User-Agent, listed with its last use; revoking one closes its sockets and leaves the others.

const FIREFOX_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0';
const CHROME_ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), rateLimits: { accountWritesPerUser: { points: 5, duration: 3600 } } });
});
afterAll(() => server?.dispose());

const http = (token: string | null, userAgent?: string) =>
  createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${server.url}/trpc`, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(userAgent ? { 'user-agent': userAgent } : {}) } })],
  });

async function until(what: string, predicate: () => boolean, ms = 5_000) {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** One account signed in on three devices, each with a live socket. */
async function threeDevices() {
  const first = await signUpClient(server, 'ivy');
  const login = (ua: string) => http(null, ua).auth.login.mutate({ username: first.user.username, password: first.password });
  const phone = await login(CHROME_ANDROID);
  const laptop = await login(FIREFOX_WINDOWS);
  const sockets = [first.token, phone.token, laptop.token].map((t) => liveSocket(server, t));
  await until('three sockets open', () => sockets.every((s) => s.state.opens === 1));
  return { first, phone, laptop, sockets };
}

describe('sessions and devices', () => {
  it('lists every live session with its device, the caller’s marked current, and never the raw header', async () => {
    const { first, phone, laptop, sockets } = await threeDevices();
    // A hostile header comes out as fixed words only.
    const odd = await http(null, '<script>alert(1)</script> Firefox/1 (Windows; "; drop table sessions; --)').auth.login.mutate({ username: first.user.username, password: first.password });
    const list = await http(phone.token).auth.sessions.query();
    expect(list).toHaveLength(4);
    const byId = Object.fromEntries(list.map((s) => [s.id, s]));
    const sid = (token: string) => decodeJwt(token).sid as string;
    expect(byId[sid(phone.token)]).toMatchObject({ device: 'Chrome on Android', current: true });
    expect(byId[sid(laptop.token)]).toMatchObject({ device: 'Firefox on Windows', current: false });
    expect(byId[sid(odd.token)]).toMatchObject({ device: 'Firefox on Windows', current: false });
    expect(list.filter((s) => s.current)).toHaveLength(1);
    for (const s of list) {
      expect(Date.parse(s.lastUsedAt)).toBeGreaterThanOrEqual(Date.parse(s.createdAt));
      expect(Object.keys(s).sort()).toEqual(['createdAt', 'current', 'device', 'id', 'lastUsedAt']);
    }
    // Last use moves with a refresh, the cheap moment the session is written anyway.
    const before = byId[sid(laptop.token)]!.lastUsedAt;
    await sleep(20);
    await http(laptop.token).auth.refresh.mutate();
    const after = (await http(phone.token).auth.sessions.query()).find((s) => s.id === sid(laptop.token))!.lastUsedAt;
    expect(Date.parse(after)).toBeGreaterThan(Date.parse(before));
    // Another account sees only its own.
    const stranger = await signUpClient(server, 'jay');
    expect((await stranger.client.trpc.auth.sessions.query()).map((s) => s.id)).toEqual([sid(stranger.token)]);
    await Promise.all(sockets.map((s) => s.close()));
  });

  it('revoking one session closes its socket, ends its token and leaves the others', async () => {
    const { first, phone, laptop, sockets } = await threeDevices();
    const laptopSession = decodeJwt(laptop.token).sid as string;
    expect(await http(phone.token).auth.revokeSession.mutate({ sessionId: laptopSession })).toBeNull();
    await until('the laptop’s socket closed as revoked', () => sockets[2]!.state.closeCodes.includes(CLOSE_CODES.tokenRevoked));
    expect(await codeOf(() => http(laptop.token).auth.me.query())).toBe('UNAUTHORIZED');
    expect(await codeOf(() => http(phone.token).auth.me.query())).toBe('resolved');
    expect(await codeOf(() => http(first.token).auth.me.query())).toBe('resolved');
    await sleep(300);
    expect(sockets[0]!.state.closeCodes).toEqual([]);
    expect(sockets[1]!.state.closeCodes).toEqual([]);
    expect((await http(phone.token).auth.sessions.query()).map((s) => s.id)).not.toContain(laptopSession);
    // Again, or someone else's, or made up: the same NOT_FOUND.
    expect(await codeOf(() => http(phone.token).auth.revokeSession.mutate({ sessionId: laptopSession }))).toBe('NOT_FOUND');
    const stranger = await signUpClient(server, 'kim');
    expect(await codeOf(() => stranger.client.trpc.auth.revokeSession.mutate({ sessionId: decodeJwt(first.token).sid as string }))).toBe('NOT_FOUND');
    expect(await codeOf(() => http(first.token).auth.me.query())).toBe('resolved');
    expect(await codeOf(() => stranger.client.trpc.auth.revokeSession.mutate({ sessionId: 'not-a-session' }))).toBe('BAD_REQUEST');
    await Promise.all(sockets.map((s) => s.close()));
  });

  it('revoking is rate-limited', async () => {
    const lee = await signUpClient(server, 'lee');
    const answers = [];
    for (let i = 0; i < 7; i++) answers.push(await codeOf(() => lee.client.trpc.auth.revokeSession.mutate({ sessionId: crypto.randomUUID() })));
    expect(answers).toEqual(['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS']);
  });
});
