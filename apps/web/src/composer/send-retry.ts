import { errorCode, retryableDelayMs } from '@chat/client/core';

/**
 * Sends retried by themselves while the server says SERVICE_UNAVAILABLE: with the shared policy's
 * pauses (0.5 s doubling to 10 s, or the server's hint) about a minute and a half, as before.
 */
export const MAX_AUTO_RETRIES = 12;

export interface SendRetryHandlers<T> {
  sent(result: T): void;
  failed(error: unknown): void;
}

/**
 * The pause before sending again: the shared client core's policy (`retryableDelayMs`, the bot
 * client's too), for SERVICE_UNAVAILABLE only. A rate-limited send is the user's to send again,
 * told why, rather than a message that goes out by itself later.
 */
const sendRetryDelayMs = (error: unknown, attempt: number) => (errorCode(error) === 'SERVICE_UNAVAILABLE' ? retryableDelayMs(error, attempt) : null);

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
        const delay = failures < MAX_AUTO_RETRIES ? sendRetryDelayMs(error, failures) : null;
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
