import { TRPCClientError } from '@trpc/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Session } from './session';

const jwt = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
const user = { id: '1', username: 'bot', createdAt: '2026-01-01T00:00:00.000Z' };
const refusal = () => TRPCClientError.from({ error: { code: -32001, message: 'no', data: { code: 'UNAUTHORIZED', httpStatus: 401 } } });

function countingTransport(ttlSeconds: number, opts: { refuseRefresh?: boolean } = {}) {
  const calls = { logins: 0, refreshes: 0 };
  let issued = 0;
  const issue = () => {
    const now = Math.floor(Date.now() / 1000);
    return { token: jwt({ iat: now, exp: now + ttlSeconds, n: ++issued }), user };
  };
  return {
    calls,
    issue,
    transport: {
      login: async () => {
        calls.logins++;
        return issue();
      },
      signup: async () => Promise.reject(new Error('unused')),
      me: async () => user,
      refresh: async () => {
        calls.refreshes++;
        if (opts.refuseRefresh) throw refusal();
        return issue();
      },
    },
  };
}

const credentials = { username: 'bot', password: 'password1' };

afterEach(() => vi.useRealTimers());

describe('Session', () => {
  it('reuses a token until it nears expiry', async () => {
    const { transport, calls } = countingTransport(3600);
    const session = new Session(credentials, transport);
    await session.start();
    const first = await session.token();
    expect(await session.token()).toBe(first);
    expect(calls).toEqual({ logins: 1, refreshes: 0 });
    session.stop();
  });

  it('refreshes in the background before expiry, with credentials and with a bare token', async () => {
    vi.useFakeTimers();
    for (const make of [(t: ReturnType<typeof countingTransport>) => new Session(credentials, t.transport), (t: ReturnType<typeof countingTransport>) => new Session({ token: t.issue().token }, t.transport)]) {
      const fake = countingTransport(60);
      const session = make(fake);
      await session.start();
      const first = await session.token();
      // A 60 s token is renewed 15 s before it runs out (59 s counted from now, for iat's rounding).
      await vi.advanceTimersByTimeAsync(43_000);
      expect(fake.calls.refreshes).toBe(0);
      await vi.advanceTimersByTimeAsync(2_000);
      expect(fake.calls.refreshes).toBe(1);
      expect(await session.token()).not.toBe(first);
      await vi.advanceTimersByTimeAsync(5 * 60_000);
      expect(fake.calls.refreshes).toBeGreaterThanOrEqual(6);
      expect(fake.calls.logins).toBeLessThanOrEqual(1);
      session.stop();
    }
  });

  it('logs in again when the refresh is refused and it has credentials', async () => {
    const { transport, calls } = countingTransport(3600, { refuseRefresh: true });
    const session = new Session(credentials, transport);
    await session.start();
    const first = await session.token();
    session.expired(first);
    expect(await session.token()).not.toBe(first);
    expect(calls).toEqual({ logins: 2, refreshes: 1 });
    session.stop();
  });

  it('reports a refused background refresh of a bare token once, through onLost', async () => {
    vi.useFakeTimers();
    const fake = countingTransport(60, { refuseRefresh: true });
    const lost: unknown[] = [];
    const session = new Session({ token: fake.issue().token }, fake.transport, { onLost: (e) => lost.push(e) });
    await session.start();
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ data: { code: 'UNAUTHORIZED' } });
    await expect(session.token()).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
    expect(fake.calls.logins).toBe(0);
  });

  it('keeps the current token while the server cannot be reached, and retries before it runs out', async () => {
    vi.useFakeTimers();
    const fake = countingTransport(60);
    let reachable = false;
    const refresh = fake.transport.refresh;
    fake.transport.refresh = async () => (reachable ? refresh() : Promise.reject(new Error('ECONNREFUSED')));
    const session = new Session(credentials, fake.transport);
    await session.start();
    const first = await session.token();
    await vi.advanceTimersByTimeAsync(46_000);
    expect(await session.token()).toBe(first);
    reachable = true;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await session.token()).not.toBe(first);
    expect(fake.calls.logins).toBe(1);
    session.stop();
  });

  it('logs in again once after a refusal, and gives up on a second one in a row', async () => {
    const { transport, calls } = countingTransport(3600);
    const session = new Session(credentials, transport);
    await session.start();
    expect(session.refused(await session.token())).toBe(true);
    const renewed = await session.token();
    expect(calls.logins).toBe(2);
    expect(session.refused(renewed)).toBe(false);
    session.stop();
  });

  it('starts counting again once a connection is accepted', async () => {
    const { transport } = countingTransport(3600);
    const session = new Session(credentials, transport);
    await session.start();
    expect(session.refused(await session.token())).toBe(true);
    session.accepted();
    expect(session.refused(await session.token())).toBe(true);
    session.stop();
  });

  it('goes on after a revocation only when it can log in again', async () => {
    const withCredentials = countingTransport(3600);
    const bot = new Session(credentials, withCredentials.transport);
    await bot.start();
    expect(bot.revoked(await bot.token())).toBe(true);
    await bot.token();
    expect(withCredentials.calls.logins).toBe(2);
    bot.stop();

    const bare = countingTransport(3600);
    const given = new Session({ token: bare.issue().token }, bare.transport);
    await given.start();
    expect(given.revoked(await given.token())).toBe(false);
    await expect(given.token()).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
    given.stop();
  });

  it('cannot log in with a bare token, and reports its refusal', async () => {
    const fake = countingTransport(3600);
    const session = new Session({ token: 'given' }, fake.transport);
    await session.start();
    expect(await session.token()).toBe('given');
    expect(session.refused('given')).toBe(false);
    session.stop();
  });
});
