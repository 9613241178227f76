import { EVERYONE_ROOM_ID, type Repositories, type RoomRecord } from '@chat/db';
import { DomainError } from '../errors';

/** The one answer for a room a caller may not see: the same whether it is missing, private or a DM. */
export const roomNotFound = () => new DomainError('NOT_FOUND', 'Room not found');

/**
 * The access rule of every room-scoped call (docs/decisions/072-room-access.md): members pass; a
 * public channel's non-member is FORBIDDEN (the directory already shows it exists); anyone else
 * gets NOT_FOUND, exactly as for a room that does not exist.
 */
export async function requireMember(repos: Repositories, roomId: string, userId: string): Promise<RoomRecord | null> {
  // Every account is a member of #everyone and nobody leaves it: no query on the default path.
  if (roomId === EVERYONE_ROOM_ID) return null;
  const [room, member] = await Promise.all([repos.rooms.findById(roomId), repos.rooms.isMember(roomId, userId)]);
  if (room && member) return room;
  if (room?.kind === 'channel') throw new DomainError('FORBIDDEN', `Join #${room.name} first`);
  throw roomNotFound();
}
