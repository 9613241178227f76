import { refusalSentence } from '@chat/client/core';
import { trpcErrorCode } from '../api/query-client';

/** Why an edit, delete or reaction did not go through, in words a person can act on. */
export function messageActionError(error: unknown): string {
  switch (trpcErrorCode(error)) {
    case 'NOT_FOUND':
      return 'That message is no longer available. It may have been deleted.';
    default:
      // The server's words say what to do ("You can only edit your own messages", the edit window, a mute…).
      return refusalSentence(error);
  }
}
