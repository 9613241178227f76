import { refusalSentence } from '@chat/client/core';
import { trpcErrorCode } from '../api/query-client';

/** A short reason shown beside a message that did not go out: the shared sentence for the refusal, "Not sent" first. */
export function sendErrorMessage(error: unknown): string {
  // The network, not a refusal: Retry (or the reconnect) is what to do, said by the button beside it.
  if (trpcErrorCode(error) === null) return 'Not sent: no connection';
  // A mute ("A moderator muted you until …"), a left room, a limit: the server's words say which.
  return `Not sent: ${refusalSentence(error)}`;
}
