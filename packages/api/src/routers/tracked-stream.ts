import { tracked, type TrackedEnvelope } from '@trpc/server';

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

const envelope = <T extends { id: string }>(result: IteratorResult<T>): IteratorResult<TrackedEnvelope<T>> =>
  result.done ? DONE : { done: false, value: tracked(result.value.id, result.value) };

/**
 * Each item as `tracked(item.id, item)`, so clients can resume by lastEventId. A class, not an
 * async generator: an idle subscription waits in its source without a generator frame here.
 */
export class TrackedById<T extends { id: string }> implements AsyncIterableIterator<TrackedEnvelope<T>>, AsyncDisposable {
  constructor(private readonly source: AsyncIterableIterator<T>) {}

  next(): Promise<IteratorResult<TrackedEnvelope<T>>> {
    return this.source.next().then(envelope<T>);
  }

  async return(): Promise<IteratorResult<TrackedEnvelope<T>>> {
    await this.source.return?.();
    return DONE;
  }

  async [Symbol.asyncDispose]() {
    await this.return();
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}

/**
 * Items that carry their own cursor: `{ id, data }` as `tracked(id, data)` (chat.onEvent). A class
 * for the same reason as TrackedById: a handed-over stream then waits with no generator frame here.
 */
export class TrackedItems<T> implements AsyncIterableIterator<TrackedEnvelope<T>>, AsyncDisposable {
  constructor(private readonly source: AsyncIterableIterator<{ id: string; data: T }>) {}

  next(): Promise<IteratorResult<TrackedEnvelope<T>>> {
    return this.source.next().then((result) => (result.done ? DONE : { done: false, value: tracked(result.value.id, result.value.data) }));
  }

  async return(): Promise<IteratorResult<TrackedEnvelope<T>>> {
    await this.source.return?.();
    return DONE;
  }

  async [Symbol.asyncDispose]() {
    await this.return();
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}
