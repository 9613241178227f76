import type { Keeper } from '../events/push-lane-contract';

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * The iterator a long-lived subscription gives tRPC. Its source generator replays and relays
 * items; when it hands its subscriber over to a direct writer, it returns that writer's `stop`.
 * From then on the subscription holds one pending promise and this object until it ends, not a
 * suspended generator chain: thousands of idle subscribers cost little memory. When the writer's
 * transport keeps the subscription itself (`keeper.keep(stop)`, docs/decisions/122), this ends at
 * once without stopping the writer: the transport calls `stop` when the subscription ends.
 */
export class HandOffStream<T> implements AsyncIterableIterator<T>, AsyncDisposable {
  private source: AsyncGenerator<T, (() => void) | void> | null;
  private stop: (() => void) | null = null;
  private wake: ((result: IteratorResult<T>) => void) | null = null;

  constructor(
    source: AsyncGenerator<T, (() => void) | void>,
    private readonly signal: AbortSignal,
    private keeper: Keeper | null = null,
  ) {
    this.source = source;
  }

  next(): Promise<IteratorResult<T>> {
    const source = this.source;
    if (!source) return Promise.resolve(DONE);
    return new Promise((resolve, reject) => {
      source.next().then((result) => {
        if (!result.done) return resolve(result);
        this.source = null;
        if (!result.value) return resolve(DONE);
        const keeper = this.keeper;
        this.keeper = null;
        if (!this.signal.aborted && keeper?.keep?.(result.value)) return resolve(DONE);
        // Handed off: wait for the end holding only `resolve` (the abort listener is this object).
        this.stop = result.value;
        this.wake = resolve;
        if (this.signal.aborted) this.end();
        else this.signal.addEventListener('abort', this, { once: true });
      }, reject);
    });
  }

  async return(): Promise<IteratorResult<T>> {
    this.end();
    const source = this.source;
    this.source = null;
    await source?.return(undefined);
    return DONE;
  }

  async [Symbol.asyncDispose]() {
    await this.return();
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  /** The abort listener: an object, so no closure per subscription. */
  handleEvent() {
    this.end();
  }

  private end() {
    this.signal.removeEventListener('abort', this);
    this.stop?.();
    this.stop = null;
    this.wake?.(DONE);
    this.wake = null;
  }
}
