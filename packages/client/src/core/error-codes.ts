/** The tRPC error code (`UNAUTHORIZED`, `SERVICE_UNAVAILABLE`…) of a failed call, or null for a network failure. */
export function errorCode(error: unknown): string | null {
  const data = (error as { data?: { code?: unknown } | null } | null)?.data;
  return typeof data?.code === 'string' ? data.code : null;
}

/** Codes that retrying the same call will not change (a refused token, a wrong password, bad input). */
const REFUSALS = new Set(['UNAUTHORIZED', 'FORBIDDEN', 'BAD_REQUEST']);
export const isRefusal = (error: unknown): boolean => REFUSALS.has(errorCode(error) ?? '');

/** Answers a user must act on: retrying a query on its own would only repeat them. */
const FINAL = new Set([...REFUSALS, 'NOT_FOUND', 'CONFLICT', 'TOO_MANY_REQUESTS']);
export const isFinal = (error: unknown): boolean => FINAL.has(errorCode(error) ?? '');

/** Refusals that say "not now": the server is up but cannot serve this yet (its database is down, a limit). */
const RETRYABLE = new Set(['SERVICE_UNAVAILABLE', 'TOO_MANY_REQUESTS']);

/**
 * How long to wait before retry `attempt` (0-based) of a subscription or call the server refused
 * for now: its `retryAfterSeconds` hint, or 0.5 s doubling to 10 s; jittered by up to a quarter,
 * so clients refused together come back apart. Null for an error that retrying will not fix.
 */
export function retryableDelayMs(error: unknown, attempt: number, random = Math.random): number | null {
  const data = (error as { data?: { code?: unknown; retryAfterSeconds?: unknown } | null } | null)?.data;
  if (typeof data?.code !== 'string' || !RETRYABLE.has(data.code)) return null;
  const hint = typeof data.retryAfterSeconds === 'number' && data.retryAfterSeconds > 0 ? data.retryAfterSeconds * 1000 : 0;
  return Math.max(hint, Math.min(500 * 2 ** attempt, 10_000)) * (1 + random() * 0.25);
}
