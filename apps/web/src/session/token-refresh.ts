/** Renew once this share of a token's lifetime is left… */
const REFRESH_SHARE_LEFT = 0.2;
/** …but never more than a minute before expiry: an hour-long token is renewed after 59 minutes. */
const REFRESH_MARGIN_MAX_MS = 60_000;
/** After a failed attempt (network, server restarting), try again this soon while the token lasts. */
const RETRY_MS = [1_000, 2_000, 5_000, 10_000];

/**
 * When to ask for a fresh token (ms since the epoch): 80% into its lifetime or 60 s before it
 * expires, whichever is later. Without `iat`, the lifetime is counted from `now`.
 */
export function refreshAt(token: { issuedAt: number | null; expiresAt: number }, now = Date.now()): number {
  const lifetime = Math.max(0, token.expiresAt - (token.issuedAt ?? now));
  return token.expiresAt - Math.min(lifetime * REFRESH_SHARE_LEFT, REFRESH_MARGIN_MAX_MS);
}

/** The pause before retry number `attempt` (1, 2, …) of a failed refresh, or null when the token will be gone by then. */
export function refreshRetryDelayMs(attempt: number, expiresAt: number, now = Date.now()): number | null {
  const delay = RETRY_MS[Math.min(attempt, RETRY_MS.length) - 1] ?? RETRY_MS[0]!;
  const left = expiresAt - now;
  if (left <= 0) return null;
  // Squeeze the last tries in before expiry rather than sleeping past it.
  return Math.min(delay, Math.max(0, left - 500));
}
