import { EntityRepository } from '@mikro-orm/postgresql';
import type { MessageReport } from '../entities/message-report.entity';
import type { MessageRecord } from '../records';
import { type AuditDraft, auditedTransaction } from './audit.repository';
import type { Exec } from './locked';
import { STATE_JOINS, stateColumns, toMessageState } from './message-state';

/** The open reports of one message, with the message as it is now and its room. */
export interface OpenReportRecord {
  /** The oldest open report's id: resolving it resolves every open report of the message. */
  reportId: string;
  message: MessageRecord;
  room: { id: string; name: string; kind: string };
  reports: { id: string; reporter: { id: string; username: string }; reason: string; createdAt: Date }[];
}

/** Closes every open report of the message (inside the caller's transaction); how many it closed. */
export async function resolveReportsOf(exec: Exec, messageId: string, resolverId: string, resolution: 'dismiss' | 'delete'): Promise<number> {
  const rows = await exec<{ id: string }[]>(
    `update message_reports set resolved_at = clock_timestamp(), resolved_by_id = ?, resolution = ?
      where message_id = ? and resolved_at is null returning id::text as id`,
    [resolverId, resolution, messageId],
  );
  return rows.length;
}

/** Reports of messages to the server's admins (docs/decisions/114-reports-and-moderator-deletes.md). */
export class MessageReportRepository extends EntityRepository<MessageReport> {
  private exec<T>(sql: string, params: unknown[] = []): Promise<T> {
    return this.getEntityManager().execute<T & object[]>(sql, params) as Promise<T>;
  }

  /** Files a report, or returns the reporter's open one on this message (a retry is idempotent). */
  async report(input: { messageId: string; reporterId: string; reason: string }): Promise<{ id: string; created: boolean }> {
    const inserted = await this.exec<{ id: string }[]>(
      `insert into message_reports (message_id, reporter_id, reason, created_at) values (?, ?, ?, clock_timestamp())
         on conflict (message_id, reporter_id) where resolved_at is null do nothing returning id::text as id`,
      [input.messageId, input.reporterId, input.reason],
    );
    if (inserted[0]) return { id: inserted[0].id, created: true };
    const open = await this.exec<{ id: string }[]>(
      'select id::text as id from message_reports where message_id = ? and reporter_id = ? and resolved_at is null',
      [input.messageId, input.reporterId],
    );
    return { id: open[0]!.id, created: false };
  }

  /** The messages with open reports, oldest report first, at most `limit`. */
  async open(limit: number): Promise<OpenReportRecord[]> {
    const rows = await this.exec<Record<string, unknown>[]>(
      `with open as (
         select r.message_id, min(r.id) as first_id,
                json_agg(json_build_object('id', r.id::text, 'reporter', json_build_object('id', ru.id, 'username', ru.username),
                         'reason', r.reason, 'created_ms', extract(epoch from r.created_at)::float8 * 1000) order by r.id) as reports
           from message_reports r join users ru on ru.id = r.reporter_id
          where r.resolved_at is null group by r.message_id order by min(r.id) limit ?)
       select ${stateColumns()}, o.first_id::text as report_id, o.reports, rm.id as room_id, rm.name as room_name, rm.kind as room_kind
         from open o join messages m on m.id = o.message_id ${STATE_JOINS} join rooms rm on rm.id = m.room_id
        order by o.first_id`,
      [limit],
    );
    return rows.map((r) => ({
      reportId: r.report_id as string,
      message: toMessageState(r)!,
      room: { id: r.room_id as string, name: r.room_name as string, kind: r.room_kind as string },
      reports: (r.reports as { id: string; reporter: { id: string; username: string }; reason: string; created_ms: number }[]).map((x) => ({
        id: x.id,
        reporter: x.reporter,
        reason: x.reason,
        createdAt: new Date(Math.floor(x.created_ms)),
      })),
    }));
  }

  /** The open report's message and room; null when there is no open report with this id. */
  async findOpen(reportId: string): Promise<{ messageId: string; roomId: string; authorId: string } | null> {
    const rows = await this.exec<{ message_id: string; room_id: string; author_id: string }[]>(
      `select r.message_id::text as message_id, m.room_id, m.author_id from message_reports r join messages m on m.id = r.message_id
        where r.id = ? and r.resolved_at is null`,
      [reportId],
    );
    const r = rows[0];
    return r ? { messageId: r.message_id, roomId: r.room_id, authorId: r.author_id } : null;
  }

  /** Closes every open report of the message and writes `audit` in the same transaction; returns how many it closed. */
  async resolveMessage(messageId: string, resolverId: string, resolution: 'dismiss' | 'delete', audit: (resolved: number) => AuditDraft): Promise<number> {
    const resolved = await auditedTransaction(this.getEntityManager(), (exec) => resolveReportsOf(exec, messageId, resolverId, resolution), audit);
    return resolved ?? 0;
  }

  /** A few messages around `messageId` in its room, oldest first, in their current state. */
  async context(messageId: string, roomId: string, each: number): Promise<{ before: MessageRecord[]; after: MessageRecord[] }> {
    const before = await this.exec<Record<string, unknown>[]>(
      `select ${stateColumns()} from messages m ${STATE_JOINS} where m.room_id = ? and m.id < ? order by m.id desc limit ?`,
      [roomId, messageId, each],
    );
    const after = await this.exec<Record<string, unknown>[]>(
      `select ${stateColumns()} from messages m ${STATE_JOINS} where m.room_id = ? and m.id > ? order by m.id asc limit ?`,
      [roomId, messageId, each],
    );
    return { before: before.reverse().map((r) => toMessageState(r)!), after: after.map((r) => toMessageState(r)!) };
  }
}
