import type { EntityManager } from '@mikro-orm/postgresql';
import { APPEND_LOCK_KEY } from '../append-lock';

/** Runs one statement: on a repository's EntityManager, or inside a locked transaction. */
export type Exec = <T>(sql: string, params?: unknown[]) => Promise<T>;

type Knex = ReturnType<EntityManager['getKnex']>;
type Trx = Parameters<Parameters<Knex['transaction']>[0]>[0];
type Work = (exec: Exec) => Promise<unknown>;

interface Waiting {
  work: Work;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export const DEFAULT_WORKS_PER_HOLD = 32;
/** Writes waiting at most: past it (a flood) a new one is refused at once, as an exhausted pool would refuse it. */
export const MAX_WAITING_WRITES = 2_000;
/** A hold in flight longer than this is stuck (the database stalled): new writes are refused, not queued behind it. */
export const STUCK_HOLD_MS = 10_000;

/**
 * The refusal when writes cannot even wait (too many waiting, or the hold ahead is stuck). Its name
 * is one the API's database-unavailable check knows, so callers get a retryable SERVICE_UNAVAILABLE.
 */
export class LockHoldsBusyError extends Error {
  override readonly name = 'LockHoldsBusyError';
  constructor(why: string) {
    super(`Locked writes are not being taken: ${why}`);
  }
}

/** Statements inside a knex transaction. */
export const execIn =
  (trx: Trx): Exec =>
  async <R>(sql: string, params: unknown[] = []) =>
    (await trx.raw(sql, params as never[])).rows as R;

/** Takes the append lock (decision 002) for the rest of the transaction `exec` runs in. */
export const takeAppendLock = (exec: Exec): Promise<void> => exec('select pg_advisory_xact_lock(?)', [APPEND_LOCK_KEY]);

/** One transaction holding the append lock for `work`, as every locked write ran before decision 175. */
export function holdAlone<T>(knex: Knex, work: (exec: Exec) => Promise<T>): Promise<T> {
  return knex.transaction(async (trx) => {
    const exec = execIn(trx);
    await takeAppendLock(exec);
    return work(exec);
  });
}

export interface LockHoldLimits {
  /** Writes in one hold at most (default 32). */
  maxWorks?: number;
  maxWaiting?: number;
  stuckMs?: number;
}

/**
 * Group commit for every locked write (docs/decisions/175-shared-lock-holds.md): a write arriving
 * while none of this process's holds is in flight runs at once in its own transaction, as before;
 * the ones arriving meanwhile run together in the next one, in arrival order, each inside a
 * savepoint, so one lock hold and one commit flush carry them all. A write that fails is rolled back
 * to its savepoint and fails alone; the others are answered only once their commit succeeded, and a
 * failed commit (or a lost connection) fails them all, as it would have failed each alone.
 */
export class LockHolds {
  private queue: Waiting[] = [];
  private inFlight = false;
  private holdStartedAt = 0;

  private readonly maxWorks: number;
  private readonly maxWaiting: number;
  private readonly stuckMs: number;

  constructor(
    private readonly knex: Knex,
    limits: LockHoldLimits = {},
  ) {
    this.maxWorks = limits.maxWorks ?? DEFAULT_WORKS_PER_HOLD;
    this.maxWaiting = limits.maxWaiting ?? MAX_WAITING_WRITES;
    this.stuckMs = limits.stuckMs ?? STUCK_HOLD_MS;
  }

  run<T>(work: (exec: Exec) => Promise<T>): Promise<T> {
    if (this.inFlight && performance.now() - this.holdStartedAt > this.stuckMs) return Promise.reject(new LockHoldsBusyError('the one in flight is stuck'));
    if (this.queue.length >= this.maxWaiting) return Promise.reject(new LockHoldsBusyError(`${this.queue.length} already wait`));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.inFlight) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.inFlight = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxWorks);
        this.holdStartedAt = performance.now();
        if (batch.length === 1) await holdAlone(this.knex, batch[0]!.work).then(batch[0]!.resolve, batch[0]!.reject);
        else await this.holdShared(batch);
      }
    } finally {
      this.inFlight = false;
    }
  }

  private async holdShared(batch: Waiting[]): Promise<void> {
    const answers: { w: Waiting; value: unknown }[] = [];
    const failed = new Set<Waiting>();
    try {
      await this.knex.transaction(async (trx) => {
        const exec = execIn(trx);
        await takeAppendLock(exec);
        for (const w of batch) {
          await exec('savepoint locked_write');
          let value: unknown;
          try {
            value = await w.work(exec);
          } catch (error) {
            // Only its own writes go. If even that fails, the connection is gone and the hold with it.
            failed.add(w);
            w.reject(error);
            await exec('rollback to savepoint locked_write');
            continue;
          }
          await exec('release savepoint locked_write');
          answers.push({ w, value });
        }
      });
    } catch (error) {
      // Nothing committed: every write not already refused fails as it would have alone.
      for (const w of batch) if (!failed.has(w)) w.reject(error);
      return;
    }
    for (const { w, value } of answers) w.resolve(value);
  }
}

const shared = new WeakMap<Knex, LockHolds>();

/**
 * Turns on shared lock holds for every locked write made through this ORM in this process (the API's
 * deps do, unless APPEND_GROUP_COMMIT=off; `on: false` turns them off again). Per process: instances
 * still take the one lock, so their holds interleave in id order.
 */
export function shareLockHolds(orm: { em: EntityManager }, on = true, limits?: LockHoldLimits): void {
  const knex = orm.em.getKnex();
  if (!on) shared.delete(knex);
  else if (!shared.has(knex)) shared.set(knex, new LockHolds(knex, limits));
}

/** The process's shared holds for this EntityManager's ORM, if turned on. */
export const lockHoldsOf = (em: EntityManager): LockHolds | undefined => shared.get(em.getKnex());
