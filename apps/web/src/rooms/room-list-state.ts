import type { DurableEvent, Room, RoomListItem } from './room-types';
import { compareIds } from '../chat/message-order';

export interface ApplyContext {
  meId: string;
  /** The room on screen: its new messages are read at once, so they never count as unread. */
  openRoomId: string | null;
}

/** The new list, and whether the user is no longer in the room on screen. */
export interface Applied {
  list: RoomListItem[];
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
  const unchanged: Applied = { list, removedOpenRoom: false };
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
      // Not newer than the list's position: the list already counts from there (or from later).
      if (newer(item.lastReadMessageId, event.messageId) === item.lastReadMessageId) return unchanged;
      // The event's count is the server's, right after the read; later messages follow as events.
      return { ...unchanged, list: replace({ ...item, lastReadMessageId: event.messageId, unread: event.unread, mentions: event.mentions }) };
    }
    case 'mentions.updated': {
      // The server's count right after the change; the room the user is reading has none (it is read as it comes).
      if (!item) return unchanged;
      const mentions = event.roomId === openRoomId ? 0 : event.mentions;
      return item.mentions === mentions ? unchanged : { ...unchanged, list: replace({ ...item, mentions }) };
    }
    case 'message.edited':
    case 'message.deleted':
    case 'reaction.changed':
      return unchanged;
    case 'room.joined': {
      if (event.user.id !== meId) return item ? { ...unchanged, list: replace({ ...item, memberCount: event.room.memberCount }) } : unchanged;
      if (item) return { ...unchanged, list: replace({ ...item, ...roomFields(event.room) }) };
      // Newly in the room: everything before the join counts as read.
      const { lastMessageId, lastActivityAt } = event;
      const added: RoomListItem = { ...roomFields(event.room), unread: 0, mentions: 0, lastReadMessageId: lastMessageId, lastMessageId, lastActivityAt };
      return { ...unchanged, list: sortByActivity([...list, added]) };
    }
    case 'room.left': {
      if (!item) return unchanged;
      if (event.user.id !== meId) return { ...unchanged, list: replace({ ...item, memberCount: event.memberCount }) };
      return { list: list.filter((r) => r.id !== event.roomId), removedOpenRoom: event.roomId === openRoomId };
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
  return list.map((r) => (r === item ? { ...r, lastReadMessageId: messageId, unread: readAll ? 0 : r.unread, mentions: readAll ? 0 : r.mentions } : r));
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
