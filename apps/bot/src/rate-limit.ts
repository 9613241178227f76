import { TRPCClientError } from '@chat/client';

export interface RetryOptions {
  /** Tries in all, the first included. */
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  signal?: AbortSignal;
  onRetry?: (delayMs: number, attempt: number) => void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const isRateLimited = (error: unknown) => error instanceof TRPCClientError && error.data?.code === 'TOO_MANY_REQUESTS';

const abortableSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Runs `call`, waiting and trying again (1 s, 2 s, 4 s… with jitter) while the server answers
 * TOO_MANY_REQUESTS. Other errors, and the last refusal, are thrown as they came.
 */
export async function retryWhenRateLimited<T>(call: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const { attempts = 5, baseDelayMs = 1000, maxDelayMs = 30_000, signal, onRetry, sleep = abortableSleep } = opts;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isRateLimited(error) || attempt >= attempts) throw error;
      // Jitter keeps several bots refused at once from coming back at once.
      const delayMs = Math.round(Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)) * (0.75 + Math.random() * 0.5));
      onRetry?.(delayMs, attempt);
      await sleep(delayMs, signal);
    }
  }
}
