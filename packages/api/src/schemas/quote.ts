/** A quote is at most this many code points of its original's first line. */
export const QUOTE_EXCERPT_MAX = 120;

/**
 * What a reply shows of the message it answers: the first non-blank line, trimmed, at most
 * QUOTE_EXCERPT_MAX code points ('…' marks a cut). Server and clients compute it the same way,
 * so a client can refresh its quotes after a live edit without asking the server.
 */
export function quoteExcerpt(text: string): string {
  const line = text.split(/[\n\u2028\u2029]/).find((l) => l.trim() !== '')?.trim() ?? '';
  const points = [...line];
  return points.length <= QUOTE_EXCERPT_MAX ? line : `${points.slice(0, QUOTE_EXCERPT_MAX - 1).join('').trimEnd()}…`;
}
