import { describe, expect, it } from 'vitest';
import { clearSession, loadSession, saveSession, SESSION_KEY, sessionFromAuth } from './session-store';
import { tokenExpiresAt, tokenIssuedAt } from './token-expiry';

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (payload: object) => `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(payload)}.signature`;

const memoryStorage = () => {
  const map = new Map<string, string>();
  return {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
    map,
  };
};

const user = { id: '1', username: 'ada', createdAt: '2026-01-01T00:00:00.000Z' };

describe('tokenExpiresAt', () => {
  it('reads exp in milliseconds', () => {
    expect(tokenExpiresAt(jwt({ sub: '1', exp: 1_900_000_000 }))).toBe(1_900_000_000_000);
  });

  it('reads payloads whose base64url needs padding and uses - and _', () => {
    const token = jwt({ name: 'ü>?~~~', exp: 1_800_000_000 });
    expect(tokenExpiresAt(token)).toBe(1_800_000_000_000);
  });

  it('reads iat in milliseconds too, for planning the renewal', () => {
    expect(tokenIssuedAt(jwt({ iat: 1_899_996_400, exp: 1_900_000_000 }))).toBe(1_899_996_400_000);
    expect(tokenIssuedAt(jwt({ exp: 1_900_000_000 }))).toBeNull();
  });

  it('returns null for garbage', () => {
    expect(tokenExpiresAt('not-a-token')).toBeNull();
    expect(tokenExpiresAt('a.%%%.c')).toBeNull();
    expect(tokenExpiresAt(jwt({ sub: '1' }))).toBeNull();
  });
});

describe('session storage', () => {
  it('keeps a session across a reload until it expires', () => {
    const storage = memoryStorage();
    const session = sessionFromAuth({ token: jwt({ exp: 2000 }), user });
    saveSession(storage, session);
    expect(loadSession(storage, 1_000_000)).toEqual(session);
    expect(loadSession(storage, 2_000_001)).toBeNull();
    expect(storage.map.has(SESSION_KEY)).toBe(false);
  });

  it('drops corrupt entries', () => {
    const storage = memoryStorage();
    storage.setItem(SESSION_KEY, '{"token":1}');
    expect(loadSession(storage)).toBeNull();
    storage.setItem(SESSION_KEY, 'not json');
    expect(loadSession(storage)).toBeNull();
  });

  it('clears', () => {
    const storage = memoryStorage();
    saveSession(storage, sessionFromAuth({ token: jwt({ exp: 2_000_000_000 }), user }));
    clearSession(storage);
    expect(loadSession(storage)).toBeNull();
  });
});
