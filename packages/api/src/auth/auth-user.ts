import type { TokenClaims } from './token';

/** The caller as authenticated: the token's claims and, once a refresh replaced the token, its grace. */
export type AuthUser = TokenClaims & {
  /** Set when the token was replaced by a refresh and works only until then (ms since the epoch). */
  graceEndsAt: number | null;
};
