import { compareIds } from '@chat/client/core';
import type { TimelineItem } from './timeline';

/** Where the user left off when they opened the room: read position and unread count at that moment. */
export interface ReadMark {
  lastReadMessageId: string | null;
  unread: number;
}

/** The key of the first message by someone else after the read mark: the "new messages" line goes above it. */
export function newMessagesDividerKey(items: readonly TimelineItem[], mark: ReadMark | null, meId: string): string | null {
  if (!mark || mark.unread === 0) return null;
  const first = items.find(
    (i) => i.kind === 'message' && i.message.author.id !== meId && (mark.lastReadMessageId === null || compareIds(i.message.id, mark.lastReadMessageId) > 0),
  );
  return first?.key ?? null;
}
