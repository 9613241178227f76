import { foldTimeline, type MessageChange, type OutboxItem, type QueuedMarks, withQueuedChanges } from '@chat/client/core';
import type { ChatMessage } from '../api/trpc';
import type { PendingMessage } from './live-messages';

export type TimelineItem =
  /** `queued`: what of it is the user's own edit or reaction still in the outbox (shown, marked pending). */
  | { kind: 'message'; key: string; message: ChatMessage; continued: boolean; newDay: boolean; queued?: QueuedMarks }
  | { kind: 'pending'; key: string; pending: PendingMessage; continued: boolean; newDay: boolean };

/** Messages by one author within this window read as one block. */
const GROUP_WINDOW_MS = 5 * 60 * 1000;

/** A pending send and its confirmed copy share a key, so React keeps the same element. */
const messageKey = (authorId: string, clientMessageId: string | null, id: string | null) =>
  clientMessageId ? `c:${authorId}:${clientMessageId}` : `id:${id}`;

const dayOf = (iso: string) => new Date(iso).toDateString();

/**
 * History pages, live messages and pending sends as one ordered list: each id once (folded by the
 * shared client core, `foldTimeline`), and a pending send hidden as soon as its confirmed copy
 * (same clientMessageId) is in the list. `complete`: the pages reach the room's first message.
 */
export function buildTimeline(
  historyPages: readonly (readonly ChatMessage[])[],
  live: readonly ChatMessage[],
  pending: readonly PendingMessage[],
  me: { id: string; username: string },
  changes: readonly MessageChange[] = [],
  complete = true,
  /** The outbox's items: queued edits and reactions show in place (the core's rule, `withQueuedChanges`). */
  queued: readonly OutboxItem[] = [],
): TimelineItem[] {
  const { messages: confirmed, marks } = withQueuedChanges(foldTimeline({ pages: historyPages, complete, live, changes }, me.id), queued, me);
  const confirmedClientIds = new Set(confirmed.map((m) => m.clientMessageId).filter((id): id is string => id !== null));
  const items: TimelineItem[] = [];
  let prev: { authorId: string; at: string } | null = null;
  const place = (authorId: string, at: string) => {
    const continued = !!prev && prev.authorId === authorId && Date.parse(at) - Date.parse(prev.at) < GROUP_WINDOW_MS && dayOf(prev.at) === dayOf(at);
    const newDay = !prev || dayOf(prev.at) !== dayOf(at);
    prev = { authorId, at };
    return { continued, newDay };
  };
  for (const message of confirmed) {
    const mark = marks.get(message.id);
    items.push({
      kind: 'message',
      key: messageKey(message.author.id, message.clientMessageId, message.id),
      message,
      ...place(message.author.id, message.createdAt),
      ...(mark ? { queued: mark } : {}),
    });
  }
  for (const p of pending) {
    if (confirmedClientIds.has(p.clientMessageId)) continue;
    items.push({ kind: 'pending', key: messageKey(me.id, p.clientMessageId, null), pending: p, ...place(me.id, p.createdAt) });
  }
  return items;
}

/** The user's newest message that is not deleted (Arrow Up in an empty composer edits it), or null. */
export function lastOwnMessageId(items: readonly TimelineItem[], meId: string): string | null {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i];
    if (item?.kind === 'message' && item.message.author.id === meId && !item.message.deleted) return item.message.id;
  }
  return null;
}
