import { tracked, type TrackedEnvelope } from '@trpc/server';

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * A source's items as tracked envelopes, so clients can resume by lastEventId. A class, not an
 * async generator: an idle (or handed-over) subscription waits in its source without a generator
 * frame here. `wrap` is a module-level function, so an instance holds no closure of its own.
 */
class Tracked<S, T> implements AsyncIterableIterator<TrackedEnvelope<T>>, AsyncDisposable {
  constructor(
    private readonly source: AsyncIterableIterator<S>,
    private readonly wrap: (item: S) => TrackedEnvelope<T>,
  ) {}

  next(): Promise<IteratorResult<TrackedEnvelope<T>>> {
    // `.then`, not `await`: a waiting call keeps a small callback, not a suspended async frame.
    const wrap = this.wrap;
    return this.source.next().then((result) => (result.done ? DONE : { done: false, value: wrap(result.value) }));
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

const byOwnId = <T extends { id: string }>(item: T) => tracked(item.id, item);
const byCursor = <T>(item: { id: string; data: T }) => tracked(item.id, item.data);

/** Each item as `tracked(item.id, item)` (chat.onMessage). */
export class TrackedById<T extends { id: string }> extends Tracked<T, T> {
  constructor(source: AsyncIterableIterator<T>) {
    super(source, byOwnId<T>);
  }
}

/** Items that carry their own cursor: `{ id, data }` as `tracked(id, data)` (chat.onEvent). */
export class TrackedItems<T> extends Tracked<{ id: string; data: T }, T> {
  constructor(source: AsyncIterableIterator<{ id: string; data: T }>) {
    super(source, byCursor<T>);
  }
}
