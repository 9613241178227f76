import type { Room } from '../api/room-types';

/** What a room is called on screen: a DM by the other person's name. */
export const roomTitle = (room: Pick<Room, 'kind' | 'name' | 'peer'>) => (room.kind === 'dm' ? (room.peer?.username ?? room.name) : room.name);
