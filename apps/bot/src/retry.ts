import { TRPCClientError } from '@chat/client';

export interface RetryOptions {
  /** Tries in all, the first included. */
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  signal?: AbortSignal;
  onRetry?: (delayMs: number, attempt: number, error: unknown) => void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const isRateLimited = (error: unknown) => error instanceof TRPCClientError && error.data?.code === 'TOO_MANY_REQUESTS';

/** The server is up but its database is not (SERVICE_UNAVAILABLE): the same call can succeed soon. */
export const isUnavailable = (error: unknown) => error instanceof TRPCClientError && error.data?.code === 'SERVICE_UNAVAILABLE';

/** No answer from the server at all (it is restarting, the network dropped): worth another try. */
export const isUnreachable = (error: unknown) => error instanceof TRPCClientError && !error.data;

/** The server's own hint (`error.data.retryAfterSeconds`), when it gives one. */
const retryAfterMs = (error: unknown): number | null => {
  const seconds: unknown = error instanceof TRPCClientError ? error.data?.retryAfterSeconds : null;
  return typeof seconds === 'number' && seconds > 0 ? seconds * 1000 : null;
};

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
 * Runs `call`, waiting and trying again while the server answers TOO_MANY_REQUESTS or
 * SERVICE_UNAVAILABLE (as long as it says in `retryAfterSeconds`) or cannot be reached (1 s, 2 s, 4 s… with jitter). Other errors,
 * and the last failure, are thrown as they came. Only for calls that are safe to repeat.
 */
export async function retryTransient<T>(call: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const { attempts = 5, baseDelayMs = 1000, maxDelayMs = 30_000, signal, onRetry, sleep = abortableSleep } = opts;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(isRateLimited(error) || isUnavailable(error) || isUnreachable(error)) || attempt >= attempts) throw error;
      const backoff = baseDelayMs * 2 ** (attempt - 1);
      // A rate limit's hint is exact; an outage's is a guess, so a longer one still backs off.
      const hint = retryAfterMs(error);
      const wait = Math.min(maxDelayMs, hint === null ? backoff : isUnavailable(error) ? Math.max(hint, backoff) : hint);
      // Jitter keeps several bots refused at once from coming back at once; never earlier than asked.
      const delayMs = Math.round(wait * (retryAfterMs(error) ? 1 + Math.random() * 0.25 : 0.75 + Math.random() * 0.5));
      onRetry?.(delayMs, attempt, error);
      await sleep(delayMs, signal);
    }
  }
}
