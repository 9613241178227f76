import type { Room } from '../api/room-types';
import { shownName } from '../people/shown-name';

/**
 * What a room is called on screen: a DM by the other person's shown name, a group DM by the others'
 * (the server's `name` has their usernames, for old clients; docs/decisions/153, 155). The core's
 * fold keeps peers and members current on user.updated, so a rename shows at once.
 */
export const roomTitle = (room: Pick<Room, 'kind' | 'name' | 'peer' | 'group'>, meId: string) => {
  if (room.kind === 'dm') return room.peer ? shownName(room.peer) : room.name;
  if (!room.group) return room.name;
  const others = room.group.members.filter((m) => m.id !== meId);
  return others.length ? others.map(shownName).join(', ') : room.name;
};

/** The unique names behind a DM's or group's title, where a display name could pass for someone else: "@ann, @bob". */
export const roomHandles = (room: Pick<Room, 'kind' | 'peer' | 'group'>, meId: string) => {
  const people = room.kind === 'dm' ? (room.peer ? [room.peer] : []) : (room.group?.members.filter((m) => m.id !== meId) ?? []);
  return people.some((p) => p.displayName) ? people.map((p) => `@${p.username}`).join(', ') : null;
};

/** The people a DM or group names (its peer, its members), as the core keeps them current. */
export const roomPeople = (room: Pick<Room, 'peer' | 'group'>) => (room.peer ? [room.peer] : (room.group?.members ?? []));
