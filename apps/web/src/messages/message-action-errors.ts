import { trpcErrorCode } from '../api/query-client';

/** Why an edit, delete or reaction did not go through, in words a person can act on. */
export function messageActionError(error: unknown): string {
  const message = (error as { message?: string }).message;
  switch (trpcErrorCode(error)) {
    case null:
      return 'Could not reach the server; try again.';
    case 'BAD_REQUEST':
    case 'FORBIDDEN':
      // The server's words say what to do ("You can only edit your own messages", the edit window…).
      return message || 'The server refused that.';
    case 'NOT_FOUND':
      return 'That message is no longer available.';
    case 'TOO_MANY_REQUESTS':
      return 'Too many changes at once; wait a moment and try again.';
    case 'SERVICE_UNAVAILABLE':
      return 'The server is unavailable right now; try again in a moment.';
    default:
      return 'Something went wrong; try again.';
  }
}
