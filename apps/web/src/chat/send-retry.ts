import { MAX_AUTO_RETRIES, unavailableRetryDelayMs } from './retry-delay';

export interface SendRetryHandlers<T> {
  sent(result: T): void;
  failed(error: unknown): void;
}

/**
 * Sends, and while the server answers SERVICE_UNAVAILABLE (its database is down) sends again by
 * itself after a pause, up to MAX_AUTO_RETRIES times; any other failure, or the last one, goes to
 * `failed`. `send` must be safe to repeat (the same clientMessageId each time). Returns a cancel.
 */
export function sendWithRetry<T>(send: () => Promise<T>, handlers: SendRetryHandlers<T>): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let cancelled = false;
  const attempt = (failures: number) => {
    send().then(
      (result) => !cancelled && handlers.sent(result),
      (error: unknown) => {
        if (cancelled) return;
        const delay = failures < MAX_AUTO_RETRIES ? unavailableRetryDelayMs(error, failures) : null;
        if (delay === null) return handlers.failed(error);
        timer = setTimeout(() => attempt(failures + 1), delay);
      },
    );
  };
  attempt(0);
  return () => {
    cancelled = true;
    clearTimeout(timer);
  };
}
