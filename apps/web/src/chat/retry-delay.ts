import { trpcErrorCode } from '../api/query-client';

/** Sends retried by themselves while the server says SERVICE_UNAVAILABLE (about a minute and a half). */
export const MAX_AUTO_RETRIES = 6;

/**
 * How long to wait before trying again after `error`, the `attempt`-th failure in a row (0-based),
 * or null when trying again will not help. SERVICE_UNAVAILABLE (the server's database is down)
 * is worth retrying: at least the server's retryAfterSeconds, doubling from 1 s up to 30 s.
 */
export function unavailableRetryDelayMs(error: unknown, attempt: number, random = Math.random): number | null {
  if (trpcErrorCode(error) !== 'SERVICE_UNAVAILABLE') return null;
  const seconds = (error as { data?: { retryAfterSeconds?: unknown } }).data?.retryAfterSeconds;
  const hint = typeof seconds === 'number' && seconds > 0 ? seconds * 1000 : 0;
  // Jittered upwards, so the many tabs an outage refused at once do not all come back at once.
  return Math.round(Math.max(hint, Math.min(1000 * 2 ** attempt, 30_000)) * (1 + random() * 0.25));
}
