import type { Repositories } from '@chat/db';
import { DomainError } from '../errors';

/**
 * Why a room name was refused (docs/decisions/125-room-names.md): only ever because of a channel,
 * which everyone can find with room.browse, so naming it tells nothing. Private rooms never clash.
 * Asked after the refusal, outside its transaction: if that channel has just been renamed, the
 * plain "already exists" is still true of the moment the name was refused.
 */
export async function roomNameRefusal(repos: Repositories, name: string, exceptRoomId: string | null): Promise<DomainError> {
  const channel = await repos.rooms.channelNamedLike(name, exceptRoomId);
  if (channel !== null && channel.toLowerCase() !== name.toLowerCase()) {
    return new DomainError('CONFLICT', `The name "${name}" is too similar to the channel "${channel}"; pick another one`);
  }
  return new DomainError('CONFLICT', `A channel named "${channel ?? name}" already exists`);
}
