import { errorCode, retryableDelayMs } from '../error-codes';

/** After a failed try: the same item again later, or stop it with a sentence for the user. */
export type OutboxVerdict = { retryInMs: number } | { stop: string };

/** 0.5 s doubling to 10 s, jittered by up to a quarter: the same pauses as every other retry of the core. */
export const backoffMs = (attempt: number, random = Math.random): number => Math.min(500 * 2 ** attempt, 10_000) * (1 + random() * 0.25);

/**
 * Why an item the server refused for good did not go through, with what to do. The server's own
 * words say which rule it met ("A moderator muted you until …", "You can only edit your own
 * messages", the edit window), so they are kept; the rest is said here once for the web and bots.
 */
export function outboxRefusalSentence(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  const said = typeof message === 'string' && message.trim() !== '' ? message.trim().replace(/\.?$/, '.') : null;
  switch (errorCode(error)) {
    case 'FORBIDDEN':
      return `${said ?? 'Not allowed.'} Discard it, or retry once that changes.`;
    case 'NOT_FOUND':
      return 'The room or message is gone, or you are no longer in the room. Discard it.';
    case 'BAD_REQUEST':
      return `${said ?? 'The server refused it as invalid.'} Discard it, or copy it and change it.`;
    case 'PAYLOAD_TOO_LARGE':
      return 'Too long for the server. Copy it, shorten it and send again.';
    default:
      return `The server failed on this one (${errorCode(error) ?? 'unknown error'}). Retry, or discard it.`;
  }
}

/**
 * Retried, with the same input, until it goes through: no connection (no code), an expired
 * token being renewed (UNAUTHORIZED), a server without its database (SERVICE_UNAVAILABLE), a
 * rate limit (TOO_MANY_REQUESTS, after its hint). Anything else is a refusal retrying cannot fix:
 * the item stops, and the queue goes on behind it (decision 133).
 */
export function outboxVerdict(error: unknown, attempt: number, random = Math.random): OutboxVerdict {
  const code = errorCode(error);
  if (code === null || code === 'UNAUTHORIZED' || code === 'TIMEOUT' || code === 'CLIENT_CLOSED_REQUEST') return { retryInMs: backoffMs(attempt, random) };
  const delay = retryableDelayMs(error, attempt, random);
  if (delay !== null) return { retryInMs: delay };
  return { stop: outboxRefusalSentence(error) };
}
