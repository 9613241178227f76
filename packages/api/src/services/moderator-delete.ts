import { publishEvents } from '../events/publish';
import type { UserRef } from '../room-shapes';
import type { CallDeps } from './deps';
import type { Rank } from './role-rank';
import { requireOutranksUser } from './room-moderation';

/**
 * Deletes someone's message as a moderator (the caller checked the right to moderate; `actor.rank`
 * must outrank the author, checked here for every path): placeholder "removed by a moderator",
 * events to every client, and one audit entry naming the author, written in the delete's own
 * transaction (docs/decisions/112-audit-log.md). With `report`, the delete resolves the message's
 * open reports in that transaction too, and its one entry is the report's (`report.delete`).
 * Null when it was already deleted (a retry: nothing is written twice).
 */
export async function deleteAsModerator(
  call: Pick<CallDeps, 'repos' | 'bus' | 'fileErasure'>,
  actor: UserRef & { rank: Rank },
  input: { messageId: string; roomId: string; authorId: string; reason: string | null; anyRoom?: boolean; report?: { reportId: string } },
): Promise<{ reportsResolved: number } | null> {
  await requireOutranksUser(call.repos, actor.rank, input.authorId, 'delete a message by');
  // Read before the delete: the entry is written inside its transaction.
  const [author, room] = [await call.repos.users.findRecordById(input.authorId), await call.repos.rooms.findById(input.roomId)];
  const { report } = input;
  const deleted = await call.repos.messages.softDelete({
    messageId: input.messageId,
    actorId: actor.id,
    by: 'moderator',
    anyRoom: input.anyRoom ?? false,
    resolveReports: report !== undefined,
    audit: ({ reportsResolved }) => ({
      actor: { id: actor.id, username: actor.username },
      action: report ? 'report.delete' : 'message.delete',
      target: author ? { id: author.id, username: author.username } : null,
      reason: input.reason,
      details: { messageId: input.messageId, roomId: input.roomId, room: room?.name ?? null, ...(report ? { reportId: report.reportId, reports: reportsResolved } : {}) },
    }),
  });
  if (!deleted) return null;
  publishEvents(call.bus, deleted.events);
  // Committed: the message's files' bytes go now (queued by the delete; docs/decisions/137).
  call.fileErasure.kick();
  return { reportsResolved: deleted.reportsResolved };
}
