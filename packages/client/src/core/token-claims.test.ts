import { describe, expect, it } from 'vitest';
import { tokenTimes } from './token-claims';

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (claims: object) => `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(claims)}.sig`;

describe('tokenTimes', () => {
  it('reads iat and exp from a JWT in milliseconds, and nothing from anything else', () => {
    expect(tokenTimes(jwt({ iat: 10, exp: 70 }))).toEqual({ issuedAt: 10_000, expiresAt: 70_000 });
    expect(tokenTimes('opaque-token')).toBeNull();
    expect(tokenTimes('a.!!!.c')).toBeNull();
    expect(tokenTimes(jwt({ iat: 10 }))).toBeNull();
    expect(tokenTimes(jwt({ exp: '70' }))).toBeNull();
  });

  it('reads payloads whose base64url needs padding and uses - and _ (non-ASCII claims too)', () => {
    expect(tokenTimes(jwt({ name: 'ü>?~~~', exp: 1_800_000_000 }))?.expiresAt).toBe(1_800_000_000_000);
  });

  it('takes a token without iat as issued at its expiry: no lifetime to plan with', () => {
    expect(tokenTimes(jwt({ exp: 70 }))).toEqual({ issuedAt: 70_000, expiresAt: 70_000 });
  });
});
