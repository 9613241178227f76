import type { Repositories, RoomRecord } from '@chat/db';
import { type Rank, requireOutranks } from './role-rank';

/**
 * The caller's rank as a moderator of a room (docs/decisions/110-roles-and-first-owner.md), or null
 * when they do not moderate it: admins and owners in every channel or private room they are in, its
 * creator (`moderator`) there. Nobody moderates a DM.
 */
export async function moderatorRank(repos: Repositories, userId: string, room: RoomRecord): Promise<Rank | null> {
  if (room.kind === 'dm') return null;
  const role = (await repos.users.standingById(userId))?.role;
  if (role === 'admin' || role === 'owner') return role;
  return room.createdBy === userId ? 'moderator' : null;
}

/** Refuses a moderator action on a user who is not below the actor (owner > admin > creator > member). */
export async function requireOutranksUser(repos: Repositories, actor: Rank, targetId: string, action: string): Promise<void> {
  // A user who no longer exists has no rank to protect.
  requireOutranks(actor, (await repos.users.standingById(targetId))?.role ?? 'member', action);
}
