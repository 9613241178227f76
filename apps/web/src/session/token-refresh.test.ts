import { describe, expect, it } from 'vitest';
import { refreshAt, refreshRetryDelayMs } from './token-refresh';

const MIN = 60_000;

describe('refreshAt', () => {
  it('renews a long-lived token a minute before it expires', () => {
    expect(refreshAt({ issuedAt: 0, expiresAt: 60 * MIN })).toBe(59 * MIN);
  });

  it('renews a short-lived token at 80% of its lifetime', () => {
    expect(refreshAt({ issuedAt: 10_000, expiresAt: 14_000 })).toBe(13_200);
    expect(refreshAt({ issuedAt: 0, expiresAt: 5 * MIN })).toBe(4 * MIN);
  });

  it('counts the lifetime from now when the token has no iat', () => {
    expect(refreshAt({ issuedAt: null, expiresAt: 10_000 }, 0)).toBe(8_000);
  });

  it('is due at once for a token that has already expired', () => {
    expect(refreshAt({ issuedAt: null, expiresAt: 1_000 }, 5_000)).toBe(1_000);
  });
});

describe('refreshRetryDelayMs', () => {
  it('backs off, then keeps retrying at the longest pause', () => {
    const far = 100 * MIN;
    expect([1, 2, 3, 4, 5, 9].map((a) => refreshRetryDelayMs(a, far, 0))).toEqual([1_000, 2_000, 5_000, 10_000, 10_000, 10_000]);
  });

  it('fits the last attempts in before expiry and gives up after it', () => {
    expect(refreshRetryDelayMs(4, 3_000, 0)).toBe(2_500);
    expect(refreshRetryDelayMs(1, 3_000, 3_000)).toBeNull();
  });
});
