/**
 * A subscription that starts buffering at construction, so a reader can subscribe first and
 * read its backlog or snapshot second. The buffer is bounded: past `max` it stops keeping items
 * and sets `overflowed`, and the reader recovers the rest from the source of truth.
 */
export class BufferedSubscription<T> {
  private readonly queue: T[] = [];
  private wake: (() => void) | null = null;
  private readonly unsubscribe: () => void;
  overflowed = false;

  constructor(
    subscribe: (listener: (item: T) => void) => () => void,
    private readonly max: number,
    private readonly signal: AbortSignal,
  ) {
    this.unsubscribe = subscribe((item) => {
      if (this.queue.length < this.max) this.queue.push(item);
      else this.overflowed = true;
      this.wake?.();
    });
    signal.addEventListener('abort', this.onAbort);
  }

  private readonly onAbort = () => this.wake?.();

  /** The next buffered item; null once aborted, or when the buffer is drained after an overflow. */
  async next(): Promise<T | null> {
    while (!this.signal.aborted) {
      if (this.queue.length > 0) return this.queue.shift() as T;
      if (this.overflowed) return null;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
    return null;
  }

  /** The next buffered item without waiting, or null when none is buffered. */
  take(): T | null {
    return this.queue.shift() ?? null;
  }

  /** Start buffering again after an overflow, before the reader catches up from the source. */
  clearOverflow() {
    this.overflowed = false;
  }

  close() {
    this.unsubscribe();
    this.signal.removeEventListener('abort', this.onAbort);
    this.wake?.();
  }
}
