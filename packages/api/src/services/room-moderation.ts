import type { Repositories, RoomRecord } from '@chat/db';
import { type Rank, requireOutranks } from './role-rank';

/**
 * The caller's rank as a moderator of a room (docs/decisions/110-roles-and-first-owner.md), or null
 * when they do not moderate it: admins and owners in every channel or private room they are in, its
 * creator (`moderator`) there. Nobody moderates a DM or a group DM (docs/decisions/153): its members leave.
 */
export async function moderatorRank(repos: Repositories, userId: string, room: RoomRecord): Promise<Rank | null> {
  if (room.kind === 'dm' || room.groupMembers) return null;
  const role = (await repos.users.standingById(userId))?.role;
  if (role === 'admin' || role === 'owner') return role;
  return room.createdBy === userId ? 'moderator' : null;
}

/** Refuses a moderator action on a user who is not below the actor (owner > admin > creator > member). */
export async function requireOutranksUser(repos: Repositories, actor: Rank, targetId: string, action: string): Promise<void> {
  // A user who no longer exists has no rank to protect.
  requireOutranks(actor, (await repos.users.standingById(targetId))?.role ?? 'member', action);
}

/**
 * Whether a member may pin and unpin in the room (docs/decisions/154-pinned-messages.md): a channel's
 * moderators (#everyone: admins and owners); in a DM, group DM or private room, every member.
 */
export async function pinRight(repos: Repositories, userId: string, room: RoomRecord): Promise<boolean> {
  if (room.kind !== 'channel') return true;
  return (await moderatorRank(repos, userId, room)) !== null;
}
