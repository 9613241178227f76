import { describe, expect, it } from 'vitest';
import { clearSession, loadSession, saveSession, SESSION_KEY, sessionFromAuth } from './session-store';

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

describe('session storage', () => {
  it('keeps a session across a reload until it expires', () => {
    const storage = memoryStorage();
    const session = sessionFromAuth({ token: jwt({ exp: 2000 }), user });
    saveSession(storage, session);
    expect(loadSession(storage, 1_000_000)).toEqual(session);
    expect(loadSession(storage, 2_000_001)).toBeNull();
    expect(storage.map.has(SESSION_KEY)).toBe(false);
  });

  it('times a fresh token on this browser\'s clock, so a clock far from the server\'s does not end it early', () => {
    // The browser's clock is a day ahead: by exp alone the token would be expired already.
    const now = 1_900_000_000_000 + 86_400_000;
    const session = sessionFromAuth({ token: jwt({ iat: 1_900_000_000, exp: 1_900_003_600 }), user }, now);
    expect(session.expiresAt).toBe(now + 3_599_000);
  });

  it('drops corrupt entries', () => {
    const storage = memoryStorage();
    storage.setItem(SESSION_KEY, '{"token":1}');
    expect(loadSession(storage)).toBeNull();
    // A user without a field the router returns (an older or tampered entry) is no session either.
    storage.setItem(SESSION_KEY, JSON.stringify({ token: 'x.y.z', expiresAt: 2_000_000_000_000, user: { id: '1', username: 'ada' } }));
    expect(loadSession(storage, 0)).toBeNull();
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
