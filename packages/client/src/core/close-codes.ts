import { CLOSE_CODES } from '@chat/api/schemas';

/**
 * What a closed socket means for the session:
 * - `expired`: the token it carried ran out (4401): reconnect with a renewed token, or sign out if there is none
 * - `revoked`: the token was logged out (4403): the session is over (a bot with a password logs in again)
 * - `lost`: anything else (network, restart, refused connect): reconnect and let the server say more
 */
export type SocketCloseReason = 'expired' | 'revoked' | 'lost';

export function socketCloseReason(code: number | undefined): SocketCloseReason {
  if (code === CLOSE_CODES.tokenExpired) return 'expired';
  if (code === CLOSE_CODES.tokenRevoked) return 'revoked';
  return 'lost';
}
