import type { DurableEvent, Room, RoomListItem } from '@chat/api';
import { compareIds } from '../chat/message-order';

export interface ApplyContext {
  meId: string;
  /** The room on screen: its new messages are read at once, so they never count as unread. */
  openRoomId: string | null;
}

/** What the caller must do besides the new list: refetch it (a count it cannot work out), or leave the open room. */
export interface Applied {
  list: RoomListItem[];
  refetch: boolean;
  removedOpenRoom: boolean;
}

/** Only the Room fields of an event's room: read state and activity stay the list's own. */
const roomFields = ({ id, kind, name, topic, peer, createdBy, memberCount, createdAt }: Room): Room => ({ id, kind, name, topic, peer, createdBy, memberCount, createdAt });

const newer = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : compareIds(a, b) >= 0 ? a : b);

/** Newest activity first; ties by name so the list does not shuffle. */
export function sortByActivity(list: readonly RoomListItem[]): RoomListItem[] {
  return [...list].sort((a, b) => b.lastActivityAt.localeCompare(a.lastActivityAt) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/**
 * Folds one durable event into the room list. Idempotent: an event the snapshot already
 * reflects (a message at or before lastMessageId, a join of a listed room) changes nothing.
 */
export function applyRoomEvent(list: RoomListItem[], event: DurableEvent, { meId, openRoomId }: ApplyContext): Applied {
  const unchanged: Applied = { list, refetch: false, removedOpenRoom: false };
  const index = list.findIndex((r) => r.id === event.roomId);
  const item = list[index];
  const replace = (next: RoomListItem) => list.map((r, i) => (i === index ? next : r));
  switch (event.type) {
    case 'message.created': {
      if (!item) return unchanged;
      const { message } = event;
      if (item.lastMessageId !== null && compareIds(message.id, item.lastMessageId) <= 0) return unchanged;
      const counts = message.author.id !== meId && event.roomId !== openRoomId;
      const next = { ...item, lastMessageId: message.id, lastActivityAt: message.createdAt, unread: item.unread + (counts ? 1 : 0) };
      return { ...unchanged, list: sortByActivity(replace(next)) };
    }
    case 'read.updated': {
      if (!item) return unchanged;
      const lastReadMessageId = newer(item.lastReadMessageId, event.messageId);
      if (lastReadMessageId === item.lastReadMessageId) return unchanged;
      const readAll = item.lastMessageId === null || compareIds(lastReadMessageId ?? '0', item.lastMessageId) >= 0;
      // Read part of the way: only the server knows how many others' messages are left.
      return { list: replace({ ...item, lastReadMessageId, unread: readAll ? 0 : item.unread }), refetch: !readAll, removedOpenRoom: false };
    }
    case 'room.joined': {
      if (event.user.id !== meId) return item ? { ...unchanged, list: replace({ ...item, memberCount: Math.max(item.memberCount, event.room.memberCount) }) } : unchanged;
      if (item) return { ...unchanged, list: replace({ ...item, ...roomFields(event.room) }) };
      // Newly in the room: its unread count and last message are the server's to tell.
      const added: RoomListItem = { ...roomFields(event.room), unread: 0, lastReadMessageId: null, lastMessageId: null, lastActivityAt: new Date().toISOString() };
      return { list: sortByActivity([...list, added]), refetch: true, removedOpenRoom: false };
    }
    case 'room.left': {
      if (!item) return unchanged;
      if (event.user.id !== meId) return { ...unchanged, list: replace({ ...item, memberCount: Math.max(0, item.memberCount - 1) }) };
      return { list: list.filter((r) => r.id !== event.roomId), refetch: false, removedOpenRoom: event.roomId === openRoomId };
    }
    case 'room.updated':
      return item ? { ...unchanged, list: replace({ ...item, ...roomFields(event.room) }) } : unchanged;
  }
}

/** The room after the user read up to `messageId` here: what the list shows before the server's read.updated arrives. */
export function markReadLocally(list: RoomListItem[], roomId: string, messageId: string): RoomListItem[] {
  const item = list.find((r) => r.id === roomId);
  if (!item || (item.lastReadMessageId !== null && compareIds(messageId, item.lastReadMessageId) <= 0)) return list;
  const readAll = item.lastMessageId === null || compareIds(messageId, item.lastMessageId) >= 0;
  return list.map((r) => (r === item ? { ...r, lastReadMessageId: messageId, unread: readAll ? 0 : r.unread } : r));
}

export type RoomGroups = Record<'channels' | 'private' | 'direct', RoomListItem[]>;

/** The sidebar's three sections, each newest activity first. */
export function groupRooms(list: readonly RoomListItem[]): RoomGroups {
  const sorted = sortByActivity(list);
  return {
    channels: sorted.filter((r) => r.kind === 'channel'),
    private: sorted.filter((r) => r.kind === 'private'),
    direct: sorted.filter((r) => r.kind === 'dm'),
  };
}
