import { describe, expect, it } from 'vitest';
import { sessionFromAuth } from './session-store';
import { sessionRenewAt } from './use-token-refresh';

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (payload: object) => `${b64url({ alg: 'HS256' })}.${b64url(payload)}.sig`;
const user = { id: '1', username: 'ada', createdAt: '2026-01-01T00:00:00.000Z' };

describe('sessionRenewAt', () => {
  it('renews when the bot client would: a minute before expiry, or a quarter of a short lifetime', () => {
    const hour = sessionFromAuth({ token: jwt({ iat: 0, exp: 3600 }), user }, 0);
    expect(sessionRenewAt(hour)).toBe(hour.expiresAt - 60_000);
    const short = sessionFromAuth({ token: jwt({ iat: 0, exp: 120 }), user }, 0);
    expect(sessionRenewAt(short)).toBe(short.expiresAt - 30_000);
  });
});
