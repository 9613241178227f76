import { type AppendResult, type Orm, type PlainAppend, repositoriesFor } from '@chat/db';

/** Where this instance's plain sends are appended: one at a time (main's way) or gathered (decision 162). */
export interface Appends {
  append(input: PlainAppend): Promise<AppendResult>;
}

export interface AppendBatcherOptions {
  orm: Orm;
  /** Rows in one statement at most (default 64). */
  maxRows?: number;
  /** Rows of one author in one statement at most (default 8): a flood of one author's sends cannot fill every batch. */
  maxRowsPerAuthor?: number;
}

export const DEFAULT_APPEND_BATCH_ROWS = 64;
const DEFAULT_ROWS_PER_AUTHOR = 8;

interface Waiting {
  input: PlainAppend;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

/** Main's behaviour: each send its own statement, all of them queueing on the lock in PostgreSQL. */
export function createSingleAppends(orm: Orm): Appends {
  return { append: (input) => repositoriesFor(orm.em.fork()).messages.append(input) };
}

/**
 * Group commit (docs/decisions/162-group-commit.md): a send arriving while no batch is in flight goes
 * at once; sends arriving while one is in flight wait and go together in the next statement, so one
 * lock hold and one commit carry many messages. No timer: an idle server adds no latency. Per
 * instance; instances still share the one lock, so their batches interleave in id order.
 */
export function createAppendBatcher(opts: AppendBatcherOptions): Appends {
  const maxRows = opts.maxRows ?? DEFAULT_APPEND_BATCH_ROWS;
  const maxPerAuthor = opts.maxRowsPerAuthor ?? DEFAULT_ROWS_PER_AUTHOR;
  let queue: Waiting[] = [];
  let inFlight = false;

  /** The next batch in arrival order, skipping an author's rows past their share (they keep their order for the next one). */
  const take = (): Waiting[] => {
    const batch: Waiting[] = [];
    const rest: Waiting[] = [];
    const perAuthor = new Map<string, number>();
    for (const w of queue) {
      const n = perAuthor.get(w.input.authorId) ?? 0;
      if (batch.length < maxRows && n < maxPerAuthor) {
        batch.push(w);
        perAuthor.set(w.input.authorId, n + 1);
      } else rest.push(w);
    }
    queue = rest;
    return batch;
  };

  const run = async (batch: Waiting[]) => {
    // Alone (an idle server, or the first send of a burst): the one-row statement. The batch statement
    // unpacks arrays and joins their rows, ~0.4 ms more of round trip for one row (session 18's trace).
    if (batch.length === 1) {
      const [only] = batch as [Waiting];
      await repositoriesFor(opts.orm.em.fork()).messages.append(only.input).then(only.resolve, only.reject);
      return;
    }
    let settled: PromiseSettledResult<AppendResult>[];
    try {
      settled = await repositoriesFor(opts.orm.em.fork()).messages.appendBatch(batch.map((w) => w.input));
    } catch (error) {
      // PostgreSQL refused the statement (an author deleted meanwhile, say), so none of it committed:
      // row by row, so one bad row fails only its own send. Anything else (the connection lost, maybe
      // after the commit) fails them all, as it would fail single sends: a retry must not duplicate.
      if (batch.length > 1 && answeredByPostgres(error)) {
        await Promise.all(batch.map((w) => repositoriesFor(opts.orm.em.fork()).messages.append(w.input).then(w.resolve, w.reject)));
      } else for (const w of batch) w.reject(error);
      return;
    }
    batch.forEach((w, i) => {
      const result = settled[i]!;
      if (result.status === 'fulfilled') w.resolve(result.value);
      else w.reject(result.reason);
    });
  };

  const drain = async () => {
    inFlight = true;
    try {
      while (queue.length > 0) await run(take());
    } finally {
      inFlight = false;
    }
  };

  return {
    append(input) {
      return new Promise<AppendResult>((resolve, reject) => {
        queue.push({ input, resolve, reject });
        if (!inFlight) void drain();
      });
    },
  };
}

/** An error PostgreSQL sent (a SQLSTATE: classes 00–58, F0, HV, P0, XX), not a lost connection ('EPIPE', 'ECONNRESET'). */
function answeredByPostgres(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^([0-5][0-9]|F0|HV|P0|XX)[0-9A-Z]{3}$/.test(code);
}
