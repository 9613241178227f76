import { type EntityManager, EntityRepository } from '@mikro-orm/postgresql';
import type { AuditEntry } from '../entities/audit-entry.entity';
import type { AuditRecord } from '../records';
import { type Exec, execOn } from './locked';

interface AuditRow {
  id: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  target_user_id: string | null;
  target_name: string | null;
  reason: string | null;
  details: Record<string, unknown> | null;
  created_ms: number;
}

const ref = (id: string | null, name: string | null) => (id === null ? null : { id, username: name ?? '' });
const toRecord = (r: AuditRow): AuditRecord => ({
  id: r.id,
  actor: ref(r.actor_id, r.actor_name),
  action: r.action,
  target: ref(r.target_user_id, r.target_name),
  reason: r.reason,
  details: r.details,
  createdAt: new Date(Math.floor(r.created_ms)),
});

const COLUMNS = `id::text as id, actor_id, actor_name, action, target_user_id, target_name, reason, details,
  extract(epoch from created_at)::float8 * 1000 as created_ms`;

/** An audit entry to write; the time is the database's when the row is inserted. */
export interface AuditDraft {
  actor: { id: string; username: string } | null;
  action: string;
  target: { id: string; username: string } | null;
  reason?: string | null;
  details?: Record<string, unknown> | null;
}

/**
 * Writes one entry through `exec`: inside the action's own transaction, so the action and its
 * entry commit together or not at all (docs/decisions/112-audit-log.md, amended).
 */
export async function insertAudit(exec: Exec, entry: AuditDraft): Promise<AuditRecord> {
  const rows = await exec<AuditRow[]>(
    `insert into audit_log (actor_id, actor_name, action, target_user_id, target_name, reason, details, created_at)
       values (?, ?, ?, ?, ?, ?, ?::jsonb, clock_timestamp()) returning ${COLUMNS}`,
    [
      entry.actor?.id ?? null,
      entry.actor?.username ?? null,
      entry.action,
      entry.target?.id ?? null,
      entry.target?.username ?? null,
      entry.reason ?? null,
      entry.details ? JSON.stringify(entry.details) : null,
    ],
  );
  return toRecord(rows[0]!);
}

/**
 * Runs `work` in one transaction and, when it changed something (not null), writes its entry in
 * the same transaction. A plain knex transaction, not `em.transactional` (see locked.ts).
 */
export function auditedTransaction<T>(em: EntityManager, work: (exec: Exec) => Promise<T | null>, audit: (done: T) => AuditDraft): Promise<T | null> {
  return em.getKnex().transaction(async (trx) => {
    const exec: Exec = async <R>(sql: string, params: unknown[] = []) => (await trx.raw(sql, params as never[])).rows as R;
    const done = await work(exec);
    if (done !== null) await insertAudit(exec, audit(done));
    return done;
  });
}

/** Appends and reads; the table refuses updates and deletes (docs/decisions/112-audit-log.md). */
export class AuditRepository extends EntityRepository<AuditEntry> {
  /** An entry for an action that has no write of its own to share a transaction with. */
  async append(entry: AuditDraft): Promise<AuditRecord> {
    return insertAudit(execOn(this.getEntityManager()), entry);
  }

  /** Newest first, `limit` entries older than `before` (an id). */
  async page(before: string | null, limit: number): Promise<AuditRecord[]> {
    const rows = await this.getEntityManager().execute<AuditRow[]>(
      `select ${COLUMNS} from audit_log ${before === null ? '' : 'where id < ?'} order by audit_log.id desc limit ?`,
      before === null ? [limit] : [before, limit],
    );
    return rows.map(toRecord);
  }
}
