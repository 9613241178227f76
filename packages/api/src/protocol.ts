/** WebSocket close codes the server uses (4000–4999 are for applications); clients act on them. */
export const CLOSE_CODES = {
  /** The token sent in connectionParams was missing, invalid, expired or revoked: refresh it or log in again. */
  tokenRefused: 4400,
  /** The token expired while connected: get a fresh one and reconnect. */
  tokenExpired: 4401,
  /** The token was revoked (logout): go back to the login screen. */
  tokenRevoked: 4403,
  /** No connectionParams arrived in time. */
  authTimeout: 4408,
} as const;

/**
 * Calls the server takes in one HTTP batch or one WebSocket frame; more are refused whole with
 * BAD_REQUEST. Clients give it to httpBatchLink as `maxItems`, which then splits larger batches.
 */
export const MAX_BATCH_CALLS = 10;

/**
 * The codes a service refuses with (they match tRPC's). Their messages are written for the person
 * who made the call, so clients show them as they are (docs/decisions/134-refusal-sentences.md).
 */
export const DOMAIN_ERROR_CODES = ['BAD_REQUEST', 'UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'TOO_MANY_REQUESTS', 'SERVICE_UNAVAILABLE'] as const;
