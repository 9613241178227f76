import type { ChatMessage } from '@chat/api';
import { compareIds } from './ids';
import { applyMessageChange, type MessageChange } from './message-lifecycle';

// A timeline as a client that pages history builds it (the web's open room): history pages read at
// various moments, the messages the stream brought since, and the edits, deletes and reactions seen
// since, applied in order over all of them. Every change carries absolute state, so a page read
// before or after a change shows it either way.

/** One ascending list with each id once, however many overlapping sources fed it (a later list's copy wins). */
export function mergeMessages(...lists: readonly (readonly ChatMessage[])[]): ChatMessage[] {
  const byId = new Map<string, ChatMessage>();
  for (const list of lists) for (const message of list) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => compareIds(a.id, b.id));
}

/** The messages with the changes applied in order. */
export const applyMessageChanges = (messages: readonly ChatMessage[], changes: readonly MessageChange[], meId: string): ChatMessage[] =>
  changes.reduce<ChatMessage[]>((list, change) => applyMessageChange(list, change, meId), [...messages]);

/** The stream's message.created carries its roomId; history's messages do not, and the timeline holds them as history does. */
function withoutRoom(m: ChatMessage): ChatMessage {
  if (!('roomId' in m)) return m;
  const { roomId: _roomId, ...message } = m as ChatMessage & { roomId: string };
  return message;
}

export interface TimelineSources {
  /** chat.history's pages, newest first as they were read. */
  pages: readonly (readonly ChatMessage[])[];
  /** Whether the pages reach the room's first message (no older page to load). */
  complete: boolean;
  /** message.created's messages (and the user's own sends' answers) since the first page was asked for. */
  live: readonly ChatMessage[];
  /** The changes seen since, in order. */
  changes: readonly MessageChange[];
}

/**
 * The confirmed messages of a paged timeline, oldest first. A live message older than the oldest
 * page's is left out until its page is loaded (it existed when the pages were read, so one of the
 * older pages has it), so the timeline never shows a message with a gap before it.
 */
export function foldTimeline({ pages, complete, live, changes }: TimelineSources, meId: string): ChatMessage[] {
  const paged = mergeMessages(...pages);
  const oldest = paged[0]?.id;
  const fresh = complete || oldest === undefined ? live : live.filter((m) => compareIds(m.id, oldest) >= 0);
  return applyMessageChanges(mergeMessages(paged, fresh.map(withoutRoom)), changes, meId);
}
