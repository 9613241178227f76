import type { ChatBus } from './chat-bus';
import type { ChatMessage } from '../shapes';

/**
 * A bus subscription that starts buffering at construction, so a reader can subscribe first
 * and read its backlog second. The buffer is bounded: past `max` it stops keeping messages and
 * sets `overflowed`, and the reader recovers the rest from the database.
 */
export class BufferedSubscription {
  private readonly queue: ChatMessage[] = [];
  private wake: (() => void) | null = null;
  private readonly unsubscribe: () => void;
  overflowed = false;

  constructor(
    bus: ChatBus,
    private readonly max: number,
    private readonly signal: AbortSignal,
  ) {
    this.unsubscribe = bus.subscribe((message) => {
      if (this.queue.length < this.max) this.queue.push(message);
      else this.overflowed = true;
      this.wake?.();
    });
    signal.addEventListener('abort', this.onAbort);
  }

  private readonly onAbort = () => this.wake?.();

  /** The next buffered message; null once aborted, or when the buffer is drained after an overflow. */
  async next(): Promise<ChatMessage | null> {
    while (!this.signal.aborted) {
      const message = this.queue.shift();
      if (message) return message;
      if (this.overflowed) return null;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
    return null;
  }

  /** Start buffering again after an overflow, before the reader catches up from the database. */
  clearOverflow() {
    this.overflowed = false;
  }

  close() {
    this.unsubscribe();
    this.signal.removeEventListener('abort', this.onAbort);
    this.wake?.();
  }
}
