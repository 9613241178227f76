import { trpcErrorCode } from '../api/query-client';

/** A short reason shown beside a message that did not go out. */
export function sendErrorMessage(error: unknown): string {
  switch (trpcErrorCode(error)) {
    case null:
      return 'Not sent: no connection';
    case 'TOO_MANY_REQUESTS': {
      const wait = (error as { data?: { retryAfterSeconds?: unknown } }).data?.retryAfterSeconds;
      return typeof wait === 'number' ? `Not sent: slow down, retry in ${Math.ceil(wait)} s` : 'Not sent: slow down a little';
    }
    case 'BAD_REQUEST':
      return `Not sent: ${(error as { message?: string }).message ?? 'invalid message'}`;
    case 'FORBIDDEN':
      // A mute ("A moderator muted you until …") or a room one has left: the server's words say which.
      return `Not sent: ${(error as { message?: string }).message || 'not allowed'}`;
    case 'UNAUTHORIZED':
      return 'Not sent: session ended';
    case 'SERVICE_UNAVAILABLE':
      return 'Not sent: the server is unavailable right now';
    default:
      return 'Not sent: server error';
  }
}
