import type { RoomListItem } from '../api/room-types';
import { compareIds } from '@chat/client/core';

export type RoomGroups = Record<'channels' | 'private' | 'direct', RoomListItem[]>;

/** Newest activity first; ties by name so the list does not shuffle. */
const byActivity = (a: RoomListItem, b: RoomListItem) => b.lastActivityAt.localeCompare(a.lastActivityAt) || a.name.localeCompare(b.name) || compareIds(a.id, b.id);

/** The sidebar's three sections, each newest activity first; a group DM is among the direct messages. */
export function groupRooms(list: readonly RoomListItem[]): RoomGroups {
  const sorted = [...list].sort(byActivity);
  return {
    channels: sorted.filter((r) => r.kind === 'channel'),
    private: sorted.filter((r) => r.kind === 'private' && !r.group),
    direct: sorted.filter((r) => r.kind === 'dm' || r.group !== undefined),
  };
}
