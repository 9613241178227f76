import { describe, expect, it } from 'vitest';
import { Session, tokenTimes } from './session';

const jwt = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
const user = { id: '1', username: 'bot', createdAt: '2026-01-01T00:00:00.000Z' };

function countingTransport(ttlSeconds: number) {
  let logins = 0;
  return {
    logins: () => logins,
    transport: {
      login: async () => {
        logins++;
        const now = Math.floor(Date.now() / 1000);
        return { token: jwt({ iat: now, exp: now + ttlSeconds, n: logins }), user };
      },
      signup: async () => Promise.reject(new Error('unused')),
      me: async () => user,
    },
  };
}

describe('tokenTimes', () => {
  it('reads iat and exp from a JWT, and nothing from anything else', () => {
    expect(tokenTimes(jwt({ iat: 10, exp: 70 }))).toEqual({ issuedAt: 10_000, expiresAt: 70_000 });
    expect(tokenTimes('opaque-token')).toBeNull();
    expect(tokenTimes('a.!!!.c')).toBeNull();
  });
});

describe('Session', () => {
  it('reuses a token until it nears expiry', async () => {
    const { transport, logins } = countingTransport(3600);
    const session = new Session({ username: 'bot', password: 'password1' }, transport);
    await session.start();
    const first = await session.token();
    expect(await session.token()).toBe(first);
    expect(logins()).toBe(1);
  });

  it('logs in again once after a refusal, and gives up on a second one in a row', async () => {
    const { transport, logins } = countingTransport(3600);
    const session = new Session({ username: 'bot', password: 'password1' }, transport);
    await session.start();
    expect(session.refused(await session.token())).toBe(true);
    const renewed = await session.token();
    expect(logins()).toBe(2);
    expect(session.refused(renewed)).toBe(false);
  });

  it('starts counting again once a connection is accepted', async () => {
    const { transport } = countingTransport(3600);
    const session = new Session({ username: 'bot', password: 'password1' }, transport);
    await session.start();
    expect(session.refused(await session.token())).toBe(true);
    session.accepted();
    expect(session.refused(await session.token())).toBe(true);
  });

  it('cannot renew a bare token', async () => {
    const session = new Session({ token: 'given' }, countingTransport(3600).transport);
    await session.start();
    expect(await session.token()).toBe('given');
    expect(session.refused('given')).toBe(false);
  });
});
