import type { z } from 'zod';
import { type ReportView, toReportView } from '../admin-shapes';
import { DomainError } from '../errors';
import type { UserRef } from '../room-shapes';
import type { resolveReportInput } from '../schemas/admin.schema';
import type { reportMessageInput } from '../schemas/chat.schema';
import { toChatMessage } from '../shapes';
import type { Administrator } from './admin.service';
import type { CallDeps } from './deps';
import { messageNotFound } from './message.service';
import { deleteAsModerator } from './moderator-delete';

/** How many open reports admin.reports shows at once, and messages of context on each side. */
export const REPORTS_SHOWN = 50;
export const REPORT_CONTEXT_MESSAGES = 2;

/**
 * Members report messages to the server's admins; admins dismiss a report or delete the message
 * (docs/decisions/114-reports-and-moderator-deletes.md).
 */
export function createReportService(call: CallDeps) {
  const repos = () => call.repos;

  return {
    /** Members of the message's room only (NOT_FOUND otherwise, like every message call); a retry returns the same report. */
    async report(user: UserRef, { messageId, reason }: z.output<typeof reportMessageInput>): Promise<{ reportId: string }> {
      await call.limits.consumeMessage(user.id);
      const target = await repos().messages.findTarget(messageId, user.id);
      if (!target) throw messageNotFound();
      if (target.authorId === user.id) throw new DomainError('BAD_REQUEST', 'You cannot report your own message; delete it instead');
      if (target.deleted) throw new DomainError('BAD_REQUEST', 'This message was deleted already');
      const { id } = await repos().reports.report({ messageId, reporterId: user.id, reason });
      return { reportId: id };
    },

    async open(): Promise<{ reports: ReportView[] }> {
      const open = await repos().reports.open(REPORTS_SHOWN);
      const reports: ReportView[] = [];
      for (const r of open) {
        const context = await repos().reports.context(r.message.id, r.room.id, REPORT_CONTEXT_MESSAGES);
        reports.push(toReportView(r, { before: context.before.map(toChatMessage), after: context.after.map(toChatMessage) }));
      }
      return { reports };
    },

    /**
     * Closes every open report of the message; `delete` also removes it as a moderator would. An
     * admin need not be in the room: the reporter brought the message to the admins. One audit
     * entry (`report.dismiss` / `report.delete`), committed with the action.
     */
    async resolve(actor: Administrator, { reportId, action }: z.output<typeof resolveReportInput>): Promise<{ resolved: number }> {
      const report = await repos().reports.findOpen(reportId);
      if (!report) throw new DomainError('NOT_FOUND', 'No open report has this id; it may have been resolved already');
      if (action === 'delete') {
        const deleted = await deleteAsModerator(call, { ...actor, rank: actor.role }, { ...report, reason: null, anyRoom: true, report: { reportId } });
        if (deleted) return { resolved: deleted.reportsResolved };
        // Deleted meanwhile (by its author, say): the reports are still closed, and audited, as deleted.
      }
      const author = await repos().users.findRecordById(report.authorId);
      const resolved = await repos().reports.resolveMessage(report.messageId, actor.id, action, (reports) => ({
        actor: { id: actor.id, username: actor.username },
        action: action === 'delete' ? 'report.delete' : 'report.dismiss',
        target: author ? { id: author.id, username: author.username } : null,
        reason: null,
        details: { reportId, messageId: report.messageId, roomId: report.roomId, reports },
      }));
      return { resolved };
    },
  };
}
