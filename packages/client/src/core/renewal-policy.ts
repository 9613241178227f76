import { tokenTimes } from './token-claims';

/** Renew once a quarter of the token's lifetime is left… */
const RENEW_SHARE_LEFT = 0.25;
/** …but never more than a minute before expiry: an hour-long token is renewed after 59 minutes. */
const RENEW_MARGIN_MAX_MS = 60_000;
/** After a failed renewal (network, server restarting), the pauses before trying again. */
const RETRY_MS = [1_000, 2_000, 5_000, 10_000];

export interface TokenSchedule {
  /** Local clock time (ms) after which the token is no use. */
  expiresAt: number;
  /** Local clock time (ms) at which to ask for a fresh one (`auth.refresh`). */
  renewAt: number;
}

/**
 * When a token runs out and when to renew it, on the local clock. A token just issued
 * (`issuedNow`: the answer of login, signup or refresh) is timed from `now` with its lifetime
 * (`exp - iat`, less a second for `iat`'s rounding), which holds even when our clock and the
 * server's disagree; a token we were handed can only be timed by its `exp`. Null when the token
 * carries no readable expiry.
 */
export function tokenSchedule(token: string, { issuedNow, now = Date.now() }: { issuedNow: boolean; now?: number }): TokenSchedule | null {
  const times = tokenTimes(token);
  if (!times) return null;
  const stated = times.expiresAt - times.issuedAt;
  // Without `iat` there is no lifetime to time from now: the token lasts until its `exp`.
  if (stated <= 0) return { expiresAt: times.expiresAt, renewAt: renewAt(times.expiresAt, times.expiresAt - now) };
  const expiresAt = issuedNow ? now + Math.max(stated - 1_000, stated / 2) : times.expiresAt;
  return { expiresAt, renewAt: renewAt(expiresAt, stated) };
}

/** Renew at a quarter of the lifetime before expiry, at most a minute before: room to retry a renewal that fails. */
export const renewAt = (expiresAt: number, lifetimeMs: number): number =>
  expiresAt - Math.min(Math.max(0, lifetimeMs) * RENEW_SHARE_LEFT, RENEW_MARGIN_MAX_MS);

/**
 * The pause before retry number `attempt` (1, 2, …) of a renewal that failed without being
 * refused, or null when the token will be gone by then. The last tries squeeze in before expiry.
 */
export function renewRetryDelayMs(attempt: number, expiresAt: number, now = Date.now()): number | null {
  const left = expiresAt - now;
  if (left <= 0) return null;
  const delay = RETRY_MS[Math.min(Math.max(attempt, 1), RETRY_MS.length) - 1]!;
  return Math.min(delay, Math.max(0, left - 500));
}
