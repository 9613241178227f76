import { trpcErrorCode } from '../api/query-client';

/** A room action's refusal in words a person can act on. */
export function roomErrorMessage(error: unknown): string {
  switch (trpcErrorCode(error)) {
    case 'CONFLICT':
      // The server names the channel the name is, or looks like (docs/decisions/125-room-names.md).
      return (error as { message?: string }).message || 'That name is taken; pick another one.';
    case 'NOT_FOUND':
      return 'That room does not exist or you do not have access to it.';
    case 'FORBIDDEN':
      // The server's words say why ("A moderator muted you until …", "Join #x first", who may remove members).
      return (error as { message?: string }).message || 'You are not allowed to do that.';
    case 'TOO_MANY_REQUESTS':
      return 'Too many changes at once; wait a moment and try again.';
    case 'BAD_REQUEST':
      return (error as { message?: string }).message || 'The server refused that.';
    case null:
      return 'Could not reach the server; try again.';
    default:
      return 'Something went wrong; try again.';
  }
}
