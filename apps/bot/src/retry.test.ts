import { TRPCClientError } from '@chat/client';
import { describe, expect, it } from 'vitest';
import { retryTransient } from './retry';

const refusal = (code: string, retryAfterSeconds: number | null = null) =>
  TRPCClientError.from({ error: { code: -32029, message: code, data: { code, retryAfterSeconds } } });

function flaky(failures: string[]) {
  let calls = 0;
  return {
    call: async () => {
      calls++;
      const code = failures.shift();
      if (code) throw refusal(code);
      return 'sent';
    },
    calls: () => calls,
  };
}

describe('retryTransient', () => {
  it('waits longer after each TOO_MANY_REQUESTS, then succeeds', async () => {
    const delays: number[] = [];
    const target = flaky(['TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS']);
    const result = await retryTransient(target.call, { baseDelayMs: 100, sleep: async (ms) => void delays.push(ms) });
    expect(result).toBe('sent');
    expect(target.calls()).toBe(3);
    expect(delays).toHaveLength(2);
    expect(delays[0]).toBeGreaterThanOrEqual(75);
    expect(delays[0]).toBeLessThanOrEqual(125);
    expect(delays[1]).toBeGreaterThanOrEqual(150);
    expect(delays[1]).toBeLessThanOrEqual(250);
  });

  it("waits as long as the server's retryAfterSeconds says", async () => {
    const delays: number[] = [];
    let calls = 0;
    const call = async () => {
      if (calls++ === 0) throw refusal('TOO_MANY_REQUESTS', 3);
      return 'sent';
    };
    await retryTransient(call, { baseDelayMs: 10, sleep: async (ms) => void delays.push(ms) });
    expect(delays[0]).toBeGreaterThanOrEqual(3000);
    expect(delays[0]).toBeLessThanOrEqual(3750);
  });

  it('retries SERVICE_UNAVAILABLE (the database is down) after the hint the server gives', async () => {
    const delays: number[] = [];
    let calls = 0;
    const call = async () => {
      if (calls++ < 3) throw refusal('SERVICE_UNAVAILABLE', 2);
      return 'sent';
    };
    expect(await retryTransient(call, { baseDelayMs: 1000, sleep: async (ms) => void delays.push(ms) })).toBe('sent');
    expect(delays).toHaveLength(3);
    // Never sooner than the hint, and still doubling: an outage may outlast the hint.
    expect(delays[0]).toBeGreaterThanOrEqual(2000);
    expect(delays[2]).toBeGreaterThanOrEqual(4000);
  });

  it('gives up after the last attempt with the server error', async () => {
    const target = flaky(Array(5).fill('TOO_MANY_REQUESTS'));
    const error = await retryTransient(target.call, { attempts: 3, sleep: async () => undefined }).catch((e: unknown) => e);
    expect(error).toMatchObject({ data: { code: 'TOO_MANY_REQUESTS' } });
    expect(target.calls()).toBe(3);
  });

  it('retries when the server cannot be reached', async () => {
    let calls = 0;
    const call = async () => {
      if (calls++ === 0) throw TRPCClientError.from(new TypeError('fetch failed'));
      return 'sent';
    };
    expect(await retryTransient(call, { sleep: async () => undefined })).toBe('sent');
    expect(calls).toBe(2);
  });

  it('does not retry other errors', async () => {
    const target = flaky(['BAD_REQUEST']);
    await expect(retryTransient(target.call, { sleep: async () => undefined })).rejects.toMatchObject({ data: { code: 'BAD_REQUEST' } });
    expect(target.calls()).toBe(1);
  });

  it('stops waiting when aborted', async () => {
    const abort = new AbortController();
    const target = flaky(['TOO_MANY_REQUESTS']);
    const pending = retryTransient(target.call, { baseDelayMs: 60_000, signal: abort.signal });
    abort.abort(new Error('shutting down'));
    await expect(pending).rejects.toThrow('shutting down');
  });
});
