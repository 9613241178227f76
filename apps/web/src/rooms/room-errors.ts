import { refusalSentence } from '@chat/client/core';
import { trpcErrorCode } from '../api/query-client';

/** A room action's refusal in words a person can act on. */
export function roomErrorMessage(error: unknown): string {
  switch (trpcErrorCode(error)) {
    case 'CONFLICT':
      // The server names the channel the name is, or looks like (docs/decisions/125-room-names.md).
      return (error as { message?: string }).message ? refusalSentence(error) : 'That name is taken; pick another one.';
    case 'NOT_FOUND':
      // Whatever the server said: a room one cannot see must read exactly like a missing one.
      return 'That room does not exist or you do not have access to it.';
    default:
      // A mute, "Join #x first", who may remove members, an outage: one sentence for each (@chat/client/core).
      return refusalSentence(error);
  }
}
