import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventRecord } from '../records';
import { type EventRow, SELECT_INSERTED_EVENTS, toEventRecord } from './event-rows';
import { type Exec, execIn, holdAlone, lockHoldsOf, takeAppendLock } from './lock-holds';

export type { Exec };

/**
 * Runs `work` in a transaction holding the append lock: its events take ids in commit order. With
 * shared holds on (lock-holds.ts), writes arriving together share one transaction, each in its own
 * savepoint; `work` must not catch a statement's error and go on (it never could: the transaction is
 * aborted). A knex transaction rather than `em.transactional`, whose AsyncLocalStorage would turn on
 * Node's promise hooks for the whole process (socket-upkeep.test.ts guards against that).
 */
export function lockedTransaction<T>(em: EntityManager, work: (exec: Exec) => Promise<T>): Promise<T> {
  return lockHoldsOf(em)?.run(work) ?? holdAlone(em.getKnex(), work);
}

/**
 * `lockedTransaction` for a write whose checks need no lock: `work` reads first and calls `lock()`
 * just before its first write that takes an id, so the lock is held for the writes and the commit
 * only. Whatever the checks read must be checked again by the locked writes themselves if a
 * concurrent change could make them wrong (thread.reply re-checks membership in its insert).
 */
export function transactionLockingLater<T>(em: EntityManager, work: (exec: Exec, lock: () => Promise<void>) => Promise<T>): Promise<T> {
  return em.getKnex().transaction(async (trx) => {
    const exec = execIn(trx);
    return work(exec, () => takeAppendLock(exec));
  });
}

/** Statements on the EntityManager itself (no transaction). */
export const execOn =
  (em: EntityManager): Exec =>
  <R>(sql: string, params: unknown[] = []) =>
    em.execute(sql, params) as Promise<R>;

/** Appends one event (inside a locked transaction) and reads it back as the pipeline carries it. */
export async function appendEvent(
  exec: Exec,
  e: { type: string; roomId: string; userId: string | null; actorId?: string | null; messageId?: string | null; payload?: unknown },
): Promise<EventRecord> {
  // Inserted and read back in one statement: one round trip less for every event, all of them
  // taken while the append lock is held.
  const read = await exec<EventRow[]>(
    `with inserted as (insert into events (type, room_id, user_id, actor_id, message_id, payload, created_at) values (?, ?, ?, ?, ?, ?::jsonb, clock_timestamp()) returning *)
     ${SELECT_INSERTED_EVENTS}`,
    [e.type, e.roomId, e.userId, e.actorId ?? null, e.messageId ?? null, e.payload === undefined ? null : JSON.stringify(e.payload)],
  );
  return toEventRecord(read[0]!);
}
