import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_AUTO_RETRIES, sendWithRetry } from './send-retry';

const refusal = (code: string) => Object.assign(new Error(code), { data: { code, retryAfterSeconds: 2 } });

/** A send that fails with these codes first, then succeeds; it counts its calls. */
function server(codes: string[]) {
  const calls = { count: 0 };
  const send = async () => {
    calls.count++;
    const code = codes.shift();
    if (code) throw refusal(code);
    return 'stored';
  };
  return { send, calls };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('sendWithRetry', () => {
  it('keeps sending while the server is unavailable, then reports the message sent', async () => {
    const { send, calls } = server(['SERVICE_UNAVAILABLE', 'SERVICE_UNAVAILABLE']);
    const sent = vi.fn();
    const failed = vi.fn();
    sendWithRetry(send, { sent, failed });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls.count).toBe(3);
    expect(sent).toHaveBeenCalledWith('stored');
    expect(failed).not.toHaveBeenCalled();
  });

  it('reports any other refusal at once, without retrying (a rate limit too: the user is told)', async () => {
    for (const code of ['BAD_REQUEST', 'TOO_MANY_REQUESTS', 'INTERNAL_SERVER_ERROR']) {
      const { send, calls } = server([code]);
      const failed = vi.fn();
      sendWithRetry(send, { sent: vi.fn(), failed });
      await vi.advanceTimersByTimeAsync(60_000);
      expect(calls.count).toBe(1);
      expect(failed).toHaveBeenCalledOnce();
    }
  });

  it('waits as the shared policy says: the server’s hint, else backing off, for about a minute and a half in all', async () => {
    const { send, calls } = server(Array<string>(50).fill('SERVICE_UNAVAILABLE'));
    const failed = vi.fn();
    sendWithRetry(send, { sent: vi.fn(), failed });
    // The hint (2 s) is the floor: a try at 0, then none before 2 s.
    await vi.advanceTimersByTimeAsync(1_999);
    expect(calls.count).toBe(1);
    // 12 retries of at least 2 s (0.5 s doubling to 10 s, hint floor, up to +25 % jitter): not over before 80 s, over by 120 s.
    await vi.advanceTimersByTimeAsync(78_000);
    expect(failed).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(40_000);
    expect(failed).toHaveBeenCalledOnce();
  });

  it('gives up after a bounded number of tries, and a cancel stops it', async () => {
    const { send, calls } = server(Array<string>(50).fill('SERVICE_UNAVAILABLE'));
    const failed = vi.fn();
    sendWithRetry(send, { sent: vi.fn(), failed });
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(calls.count).toBe(MAX_AUTO_RETRIES + 1);
    expect(failed).toHaveBeenCalledOnce();

    const other = server(Array<string>(50).fill('SERVICE_UNAVAILABLE'));
    const cancel = sendWithRetry(other.send, { sent: vi.fn(), failed: vi.fn() });
    await vi.advanceTimersByTimeAsync(0);
    cancel();
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(other.calls.count).toBe(1);
  });
});
