import type { Repositories, RoomRecord } from '@chat/db';

/**
 * Who moderates a room (docs/decisions/110-roles-and-first-owner.md): its creator, and admins and
 * owners in every channel or private room they are in. Nobody moderates a DM.
 */
export async function mayModerateRoom(repos: Repositories, userId: string, room: RoomRecord): Promise<boolean> {
  if (room.kind === 'dm') return false;
  if (room.createdBy === userId) return true;
  const role = (await repos.users.standingById(userId))?.role;
  return role === 'admin' || role === 'owner';
}
