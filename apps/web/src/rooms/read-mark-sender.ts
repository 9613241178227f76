import { compareIds } from '@chat/client/core';

/**
 * Sends read positions to the server at most once per `intervalMs` per room, the newest last. The
 * badge clears locally at once; the server only tells other tabs, so a room that streams messages
 * faster than the interval costs one room.markRead per interval, never one per message (the server
 * limits read marks per user: SECURITY.md).
 */
export function createReadMarkSender(send: (roomId: string, messageId: string) => void, intervalMs = 1_000) {
  const rooms = new Map<string, { sentAt: number; pending: string | null; timer: ReturnType<typeof setTimeout> | null }>();
  const flush = (roomId: string) => {
    const room = rooms.get(roomId);
    if (!room?.pending) return;
    const messageId = room.pending;
    room.pending = null;
    room.timer = null;
    room.sentAt = Date.now();
    send(roomId, messageId);
  };
  return {
    mark(roomId: string, messageId: string) {
      const room = rooms.get(roomId) ?? { sentAt: -Infinity, pending: null, timer: null };
      rooms.set(roomId, room);
      if (room.pending === null || compareIds(messageId, room.pending) > 0) room.pending = messageId;
      if (room.timer) return;
      const wait = room.sentAt + intervalMs - Date.now();
      if (wait <= 0) flush(roomId);
      else room.timer = setTimeout(() => flush(roomId), wait);
    },
    /** Sends what is waiting now (the page is closing or the user signs out). */
    flushAll() {
      for (const [roomId, room] of rooms) {
        if (room.timer) clearTimeout(room.timer);
        flush(roomId);
      }
    },
  };
}
