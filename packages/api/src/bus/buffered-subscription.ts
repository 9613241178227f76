/**
 * A subscription that starts buffering at construction, so a reader can subscribe first and
 * read its backlog or snapshot second. The buffer is bounded: past `max` it stops keeping items
 * and sets `overflowed`, and the reader recovers the rest from the source of truth.
 */
export class BufferedSubscription<T> {
  private readonly queue: T[] = [];
  /** An idle reader's pending next(): the next item, the abort or close resolves it directly. */
  private waiting: ((item: T | null) => void) | null = null;
  private readonly unsubscribe: () => void;
  overflowed = false;

  constructor(
    subscribe: (listener: (item: T) => void) => () => void,
    private readonly max: number,
    private readonly signal: AbortSignal,
  ) {
    this.unsubscribe = subscribe((item) => {
      const waiting = this.waiting;
      this.waiting = null;
      // A reader only waits on an empty queue, so handing it the item keeps the order.
      if (waiting) waiting(item);
      else if (this.queue.length < this.max) this.queue.push(item);
      else this.overflowed = true;
    });
    signal.addEventListener('abort', this);
  }

  /**
   * The next buffered item; null once aborted or closed, or when the buffer is drained after an
   * overflow. Not an async function: an idle reader holds one promise, not a suspended frame.
   */
  next(): Promise<T | null> {
    if (this.signal.aborted) return Promise.resolve(null);
    if (this.queue.length > 0) return Promise.resolve(this.queue.shift() as T);
    if (this.overflowed) return Promise.resolve(null);
    return new Promise((resolve) => (this.waiting = resolve));
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
    this.signal.removeEventListener('abort', this);
    this.handleEvent();
  }

  /** The abort listener: an object, so no closure per subscription. */
  handleEvent() {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.(null);
  }
}
