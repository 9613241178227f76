import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { socketCloseReason } from './close-codes';
import { errorCode, isFinal, isRefusal, retryableDelayMs } from './error-codes';

const refusal = (code: string, extra: object = {}) =>
  TRPCClientError.from({ error: { code: -32000, message: code, data: { code, httpStatus: 400, ...extra } } });

describe('errorCode', () => {
  it('reads the tRPC code of a refusal, and none from a network failure', () => {
    expect(errorCode(refusal('FORBIDDEN'))).toBe('FORBIDDEN');
    expect(errorCode(new TypeError('fetch failed'))).toBeNull();
    expect(errorCode(null)).toBeNull();
  });

  it('tells refusals (give up or log in) from answers to show and from outages to wait out', () => {
    expect(['UNAUTHORIZED', 'FORBIDDEN', 'BAD_REQUEST', 'NOT_FOUND', 'SERVICE_UNAVAILABLE'].map((c) => isRefusal(refusal(c)))).toEqual([true, true, true, false, false]);
    expect(['NOT_FOUND', 'TOO_MANY_REQUESTS', 'SERVICE_UNAVAILABLE'].map((c) => isFinal(refusal(c)))).toEqual([true, true, false]);
    expect(isRefusal(new Error('socket closed'))).toBe(false);
  });
});

describe('retryableDelayMs', () => {
  it('waits out an outage with backoff, honouring the server hint, and retries nothing else', () => {
    const none = () => 0;
    expect([0, 1, 5].map((a) => retryableDelayMs(refusal('SERVICE_UNAVAILABLE'), a, none))).toEqual([500, 1_000, 10_000]);
    expect(retryableDelayMs(refusal('TOO_MANY_REQUESTS', { retryAfterSeconds: 3 }), 0, none)).toBe(3_000);
    expect(retryableDelayMs(refusal('SERVICE_UNAVAILABLE'), 0, () => 1)).toBe(625);
    expect(retryableDelayMs(refusal('FORBIDDEN'), 0)).toBeNull();
  });
});

describe('socketCloseReason', () => {
  it('maps the server close codes to what the session does', () => {
    expect([4401, 4403, 4400, 1006, undefined].map(socketCloseReason)).toEqual(['expired', 'revoked', 'lost', 'lost', 'lost']);
  });
});
