// The sender writes its send time into the message text; receivers compare it with their arrival
// time. process.hrtime reads CLOCK_MONOTONIC, one clock for every process on the machine, so a
// stamp made in one load-generator process is comparable in another (no wall-clock skew).

const PREFIX = 'bench';

/** Milliseconds on the machine-wide monotonic clock. */
export const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/** A message text carrying its sequence number and send time, padded to a chat-like length. */
export function stampText(seq: number, sentAtMs: number, padTo = 80): string {
  const head = `${PREFIX}:${seq}:${sentAtMs.toFixed(3)}:`;
  return head.length >= padTo ? head : head + 'x'.repeat(padTo - head.length);
}

export function readStamp(text: string): { seq: number; sentAtMs: number } | null {
  if (!text.startsWith(PREFIX)) return null;
  const [, seq, sent] = text.split(':', 3);
  if (seq === undefined || sent === undefined) return null;
  return { seq: Number(seq), sentAtMs: Number(sent) };
}
