import { type Orm, repositoriesFor } from '@chat/db';

/*
 * The event log's retention job (docs/decisions/168-event-retention.md): events older than the
 * retention are deleted in short batches, keeping each message's newest edit, delete and preview
 * event; the horizon it leaves is what chat.onEvent's catch-up compares a cursor with. Every
 * instance runs it on a timer; the horizon row's lock lets one work at a time.
 */

export const DEFAULT_RETENTION_BATCH = 5_000;
export const DEFAULT_RETENTION_EVERY_MS = 10 * 60_000;

export interface RetentionRun {
  /** Events deleted by this run. */
  deleted: number;
  /** Batches that moved the horizon. */
  batches: number;
  /** The horizon after the run. */
  through: string;
  /** Another instance was deleting: this run stopped at once (or midway) and left it the work. */
  busy: boolean;
  ms: number;
}

export interface RetentionOptions {
  /** Events younger than this are kept. */
  keepMs: number;
  /** Events per batch (one statement, one short transaction). */
  batchSize?: number;
  /** A pause between batches, so a long run leaves the database to the sends between them. */
  pauseMs?: number;
  /** Stops between batches when it turns true (shutdown). */
  stopped?: () => boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One run: batches until nothing old is left, another instance holds the horizon, or `stopped`. */
export async function runEventRetention(orm: Orm, opts: RetentionOptions): Promise<RetentionRun> {
  const started = performance.now();
  const run: RetentionRun = { deleted: 0, batches: 0, through: '0', busy: false, ms: 0 };
  for (;;) {
    const batch = await repositoriesFor(orm.em.fork()).events.deleteExpiredBatch({ keepMs: opts.keepMs, batchSize: opts.batchSize ?? DEFAULT_RETENTION_BATCH });
    if (batch.busy) {
      run.busy = true;
      break;
    }
    run.through = batch.through;
    run.deleted += batch.deleted;
    if (!batch.moved || opts.stopped?.()) break;
    run.batches++;
    if (opts.pauseMs) await sleep(opts.pauseMs);
  }
  run.ms = Math.round(performance.now() - started);
  return run;
}

export interface EventRetention {
  /** Runs now (unless a run of this instance is under way: then that one's result). */
  run(): Promise<RetentionRun>;
  close(): void;
}

export interface EventRetentionOptions extends Omit<RetentionOptions, 'stopped'> {
  orm: Orm;
  /** How often each instance runs it (default 10 minutes); the first run comes after a random part of it. */
  everyMs?: number;
  onRun?: (run: RetentionRun) => void;
  /** A failed run (PostgreSQL down, say): reported, and the next period tries again. */
  onError?: (error: unknown) => void;
}

/** The job on a timer: never two runs of one instance at once, never a crash (a failure waits for the next period). */
export function startEventRetention(opts: EventRetentionOptions): EventRetention {
  let closed = false;
  let running: Promise<RetentionRun> | null = null;
  const run = () =>
    (running ??= runEventRetention(opts.orm, { ...opts, stopped: () => closed }).finally(() => {
      running = null;
    }));
  const tick = () => {
    // A run still going (a slow database) is left to finish; this period adds nothing.
    if (closed || running) return;
    run().then(
      (result) => opts.onRun?.(result),
      (error: unknown) => opts.onError?.(error),
    );
  };
  const everyMs = opts.everyMs ?? DEFAULT_RETENTION_EVERY_MS;
  let timer: ReturnType<typeof setInterval> | null = null;
  // Spread over the period: instances started together do not all try at the same moment.
  const first = setTimeout(() => {
    tick();
    timer = setInterval(tick, everyMs);
    timer.unref();
  }, Math.random() * everyMs);
  first.unref();
  return {
    run,
    close() {
      closed = true;
      clearTimeout(first);
      if (timer !== null) clearInterval(timer);
    },
  };
}
