import type { EntityManager } from '@mikro-orm/postgresql';
import type { Exec } from './locked';

// The event log's retention (docs/decisions/163-years-of-data.md decided it, 168 built it).

/** What the job keeps the newest of, per message: decision 123's check for a past member reads them. */
export const KEPT_TYPES = `('message.edited', 'message.deleted', 'message.preview')`;

/** One batch's outcome. `busy`: another run holds the horizon row (another instance is deleting). */
export type RetentionBatch =
  | { busy: true }
  | {
      busy: false;
      /** The horizon after the batch (unchanged when nothing old was left). */
      through: string;
      /** Whether the horizon moved: another batch may find more. */
      moved: boolean;
      /** Rows deleted: the batch's range, and older kept rows its newer ones replace. */
      deleted: number;
    };

/**
 * Deletes one batch of events older than `keepMs`, in one short transaction: the events after the
 * horizon, oldest first, up to `batchSize` of them and up to the first one that is not old (ids and
 * times grow together under the append lock; the guard keeps the range contiguous if a clock ever
 * stepped back), never the newest event (so `max(id)`, every cursor's reference, never goes back).
 * Within the range it keeps each message's newest message.edited, message.deleted and
 * message.preview, and deletes kept ones below the horizon that one in the range replaces, so below
 * the horizon each message keeps at most one of each. The horizon row is locked `skip locked`: a
 * second run at the same moment does nothing and says so. No append lock: deleting old rows blocks
 * no insert. Separate statements, so each is planned with the batch's real bounds.
 */
export function deleteExpiredBatch(em: EntityManager, opts: { keepMs: number; batchSize: number }): Promise<RetentionBatch> {
  return em.getKnex().transaction(async (trx) => {
    const exec = async <R>(sql: string, params: unknown[] = []) => (await trx.raw(sql, params as never[])).rows as R;
    const [held] = await exec<{ h: string }[]>('select deleted_through::text as h from event_horizon where id = 1 for update skip locked');
    if (!held) return { busy: true } as const;
    const from = held.h;
    // now() is the transaction's start: one cutoff for every statement of the batch.
    const [bound] = await exec<{ upto: string | null }[]>(
      `with batch as (select id, created_at from events where id > ? order by id limit ?),
            cutoff as (select now() - ?::float8 * interval '1 millisecond' as at)
       select max(b.id)::text as upto from batch b, cutoff
        where b.created_at < cutoff.at
          and b.id < coalesce((select min(f.id) from batch f where f.created_at >= cutoff.at), 9223372036854775807)
          and b.id < (select max(id) from events)`,
      [from, opts.batchSize, opts.keepMs],
    );
    const upto = bound?.upto ?? null;
    if (upto === null) return { busy: false, through: from, moved: false, deleted: 0 } as const;
    // First the kept rows below the horizon that this range replaces (judged by the whole range, before its own rows go)...
    const [replaced] = await exec<{ n: number }[]>(
      `with gone as (
         delete from events o using (select distinct r.message_id, r.type from events r where r.id > ? and r.id <= ? and r.type in ${KEPT_TYPES}) s
          where o.message_id = s.message_id and o.type = s.type and o.type in ${KEPT_TYPES} and o.id <= ?
         returning 1)
       select count(*)::int as n from gone`,
      [from, upto, from],
    );
    // ...then the range, but each message's newest of the kept kinds.
    const [deleted] = await exec<{ n: number }[]>(
      `with gone as (
         delete from events e where e.id > ? and e.id <= ?
            and (e.type not in ${KEPT_TYPES} or exists (
              select 1 from events n where n.message_id = e.message_id and n.type = e.type and n.type in ${KEPT_TYPES} and n.id > e.id))
         returning 1)
       select count(*)::int as n from gone`,
      [from, upto],
    );
    const count = replaced!.n + deleted!.n;
    await exec('update event_horizon set deleted_through = ?, deleted_total = deleted_total + ?, ran_at = clock_timestamp() where id = 1', [upto, count]);
    return { busy: false, through: upto, moved: true, deleted: count } as const;
  });
}

/** The horizon: every event up to this id is deleted but the kept ones ('0': none yet). */
export async function readHorizon(exec: Exec): Promise<string> {
  const rows = await exec<{ through: string }[]>(`select deleted_through::text as through from event_horizon where id = 1`);
  return rows[0]?.through ?? '0';
}
