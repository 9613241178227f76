import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { AuditRepository } from '../repositories/audit.repository';

/**
 * What a moderator or admin did (docs/decisions/112-audit-log.md). Append-only: a trigger refuses
 * updates and deletes, and no procedure offers either. Plain ids, no foreign keys, so an entry
 * outlives anything it names.
 */
export const AuditEntry = defineEntity({
  name: 'AuditEntry',
  tableName: 'audit_log',
  repository: () => AuditRepository,
  properties: (p) => ({
    id: p.bigint('string').primary().autoincrement(),
    /** Null: the server's command line (`pnpm user:role`). */
    actorId: p.uuid().nullable(),
    /** Names kept as they were, so a renamed or deleted account still reads right. */
    actorName: p.string().length(32).nullable(),
    action: p.string().length(32),
    targetUserId: p.uuid().nullable(),
    targetName: p.string().length(32).nullable(),
    reason: p.text().nullable(),
    details: p.json().nullable(),
    createdAt: p.datetime(),
  }),
});

export type AuditEntry = InferEntity<typeof AuditEntry>;
