import { describe, expect, it } from 'vitest';
import { unavailableRetryDelayMs } from './retry-delay';

const refusal = (code: string, retryAfterSeconds: number | null = null) => ({ message: code, data: { code, retryAfterSeconds } });
const noJitter = () => 0;

describe('unavailableRetryDelayMs', () => {
  it('retries SERVICE_UNAVAILABLE no sooner than the hint, backing off to 30 s', () => {
    expect(unavailableRetryDelayMs(refusal('SERVICE_UNAVAILABLE', 2), 0, noJitter)).toBe(2000);
    expect(unavailableRetryDelayMs(refusal('SERVICE_UNAVAILABLE', 2), 2, noJitter)).toBe(4000);
    expect(unavailableRetryDelayMs(refusal('SERVICE_UNAVAILABLE'), 10, noJitter)).toBe(30_000);
  });

  it('does not retry refusals that another try cannot fix', () => {
    for (const code of ['BAD_REQUEST', 'UNAUTHORIZED', 'TOO_MANY_REQUESTS', 'INTERNAL_SERVER_ERROR']) expect(unavailableRetryDelayMs(refusal(code), 0)).toBeNull();
  });
});
