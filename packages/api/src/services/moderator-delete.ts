import { publishEvents } from '../events/publish';
import type { UserRef } from '../room-shapes';
import type { CallDeps } from './deps';
import type { Rank } from './role-rank';
import { requireOutranksUser } from './room-moderation';

/**
 * Deletes someone's message as a moderator (the caller checked the right to moderate; `actor.rank`
 * must outrank the author, checked here for every path): placeholder "removed by a moderator",
 * events to every client, then one audit entry naming the author.
 * False when it was already deleted (a retry: nothing is written twice).
 */
export async function deleteAsModerator(
  call: Pick<CallDeps, 'repos' | 'bus'>,
  actor: UserRef & { rank: Rank },
  input: { messageId: string; roomId: string; authorId: string; reason: string | null; anyRoom?: boolean; details?: Record<string, unknown> },
): Promise<boolean> {
  await requireOutranksUser(call.repos, actor.rank, input.authorId, 'delete a message by');
  const deleted = await call.repos.messages.softDelete({ messageId: input.messageId, actorId: actor.id, by: 'moderator', anyRoom: input.anyRoom ?? false });
  if (!deleted) return false;
  publishEvents(call.bus, deleted.events);
  const [author, room] = [await call.repos.users.findRecordById(input.authorId), await call.repos.rooms.findById(input.roomId)];
  await call.repos.audit.append({
    actor: { id: actor.id, username: actor.username },
    action: 'message.delete',
    target: author ? { id: author.id, username: author.username } : null,
    reason: input.reason,
    details: { messageId: input.messageId, roomId: input.roomId, room: room?.name ?? null, ...input.details },
  });
  return true;
}
