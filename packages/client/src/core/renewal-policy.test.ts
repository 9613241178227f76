import { describe, expect, it } from 'vitest';
import { renewAt, renewRetryDelayMs, tokenSchedule } from './renewal-policy';

const MIN = 60_000;
const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (claims: object) => `${b64url({ alg: 'HS256' })}.${b64url(claims)}.sig`;

describe('renewAt', () => {
  it('renews a long-lived token a minute before it expires', () => {
    expect(renewAt(60 * MIN, 60 * MIN)).toBe(59 * MIN);
  });

  it('renews a short-lived token when a quarter of its lifetime is left', () => {
    expect(renewAt(14_000, 4_000)).toBe(13_000);
    expect(renewAt(4 * MIN, 4 * MIN)).toBe(3 * MIN);
  });
});

describe('tokenSchedule', () => {
  const token = jwt({ iat: 1_000, exp: 1_000 + 3600 });

  it('times a token just issued from the local clock, whatever the server clock said', () => {
    // Our clock is a day ahead of the server's: exp alone would say the token is long gone.
    const now = 1_000_000 + 86_400_000;
    expect(tokenSchedule(token, { issuedNow: true, now })).toEqual({ expiresAt: now + 3599_000, renewAt: now + 3539_000 });
  });

  it('times a token it was handed by its exp', () => {
    expect(tokenSchedule(token, { issuedNow: false, now: 0 })).toEqual({ expiresAt: 4_600_000, renewAt: 4_540_000 });
  });

  it('times a token without iat by its exp, renewing when a quarter of the time from now is left', () => {
    expect(tokenSchedule(jwt({ exp: 100 }), { issuedNow: true, now: 20_000 })).toEqual({ expiresAt: 100_000, renewAt: 80_000 });
  });

  it('has no schedule for a token without a readable expiry', () => {
    expect(tokenSchedule('opaque', { issuedNow: true })).toBeNull();
  });
});

describe('renewRetryDelayMs', () => {
  it('backs off, then keeps retrying at the longest pause', () => {
    const far = 100 * MIN;
    expect([1, 2, 3, 4, 5, 9].map((a) => renewRetryDelayMs(a, far, 0))).toEqual([1_000, 2_000, 5_000, 10_000, 10_000, 10_000]);
  });

  it('fits the last attempts in before expiry and gives up after it', () => {
    expect(renewRetryDelayMs(4, 3_000, 0)).toBe(2_500);
    expect(renewRetryDelayMs(1, 3_000, 3_000)).toBeNull();
  });
});
