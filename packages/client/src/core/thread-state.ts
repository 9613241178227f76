import type { ChatEvent, MessageEvent, RoomMessage, ThreadListItem, ThreadPage } from '@chat/api';
import { compareIds } from './ids';
import { applyDeleted, applyEdited, applyMessageChange, applyPreview, applyThreadUpdated, type MessageChange, namesMe } from './message-lifecycle';

// Threads (docs/decisions/145-threads.md) folded from chat.onEvent, as room-state.ts folds rooms:
// a snapshot (thread.list, thread.history) read after a cursor, plus the events after it, equals a
// fresh read. Two folds: the followed-thread list (the Threads view, unread first) and one open
// thread (its root and replies). Both set state from the events' absolute values where they have
// them, and count a reply once by its id (`countedTo`), so a replayed event changes nothing.

export interface ThreadListState {
  meId: string;
  /** The last event applied: where chat.onEvent resumes. */
  cursor: string | null;
  threads: Readonly<Record<string, ThreadListItem>>;
  /** The caller joined a room again: its followed threads come back only from a fresh thread.list. */
  stale: boolean;
}

export function fromThreadList(meId: string, cursor: string | null, rows: readonly ThreadListItem[]): ThreadListState {
  return { meId, cursor, threads: Object.fromEntries(rows.map((r) => [r.rootId, r])), stale: false };
}

const newer = (cursor: string | null, eventId: string) => cursor === null || compareIds(eventId, cursor) > 0;
const maxId = (a: string | null, b: string | null) => (a === null ? b : b === null || compareIds(a, b) >= 0 ? a : b);

/**
 * The new reply an event brings into a thread, if any: a thread-only one (thread.message) or one
 * also sent to the room (message.created whose message has `threadRootId`). Bots answer threads with it.
 */
export function threadReplyOf(event: ChatEvent): { rootId: string; message: RoomMessage } | null {
  if (event.type === 'thread.message' && event.event.type === 'message.created') return { rootId: event.rootId, message: event.event.message };
  if (event.type === 'message.created' && event.message.threadRootId) return { rootId: event.message.threadRootId, message: event.message };
  return null;
}

/** A root held by the list changes with the room's events about it (the list holds roots without reactions). */
function changedRoot(root: RoomMessage, event: ChatEvent): RoomMessage {
  if (event.type === 'message.edited' && event.message.id === root.id) return { ...(applyEdited([root], event)[0] as RoomMessage), roomId: root.roomId };
  if (event.type === 'message.deleted' && event.messageId === root.id) return applyDeleted([root], event)[0] as RoomMessage;
  if (event.type === 'message.preview' && event.messageId === root.id) return applyPreview([root], event)[0] as RoomMessage;
  if (event.type === 'thread.updated' && event.rootId === root.id) return applyThreadUpdated([root], event)[0] as RoomMessage;
  return root;
}

/** Applies one chat.onEvent event to the followed-thread list. */
export function applyThreadListEvent(state: ThreadListState, event: ChatEvent): ThreadListState {
  if (!('eventId' in event) || !newer(state.cursor, event.eventId)) return state;
  const next: ThreadListState = { ...state, cursor: event.eventId };
  if (event.type === 'resync') return { ...next, stale: true };
  const threads = { ...state.threads };
  if (event.type === 'thread.read') {
    const held = threads[event.rootId];
    const root = event.root ?? held?.root;
    if (!event.following || !root) delete threads[event.rootId];
    else {
      threads[event.rootId] = {
        rootId: event.rootId,
        roomId: event.roomId,
        root: { ...root, roomId: event.roomId },
        lastReadMessageId: event.lastReadMessageId,
        lastReplyId: maxId(held?.lastReplyId ?? null, event.lastReplyId),
        unread: event.unread,
        mentions: event.mentions,
      };
    }
    return { ...next, threads };
  }
  if ((event.type === 'room.left' || event.type === 'room.joined') && event.user.id === state.meId) {
    for (const [id, t] of Object.entries(threads)) if (t.roomId === event.roomId) delete threads[id];
    return { ...next, threads, stale: next.stale || event.type === 'room.joined' };
  }
  const reply = threadReplyOf(event);
  if (reply) {
    const held = threads[reply.rootId];
    if (!held || (held.lastReplyId !== null && compareIds(reply.message.id, held.lastReplyId) <= 0)) return next;
    const unread = reply.message.author.id !== state.meId && (held.lastReadMessageId === null || compareIds(reply.message.id, held.lastReadMessageId) > 0);
    threads[reply.rootId] = {
      ...held,
      lastReplyId: reply.message.id,
      unread: held.unread + (unread ? 1 : 0),
      mentions: held.mentions + (unread && namesMe(reply.message, state.meId) ? 1 : 0),
    };
    // The room also sees an also-sent reply, which is no root's change: nothing more to do.
    return { ...next, threads };
  }
  let changed = false;
  for (const [id, t] of Object.entries(threads)) {
    const root = changedRoot(t.root, event);
    if (root !== t.root) {
      threads[id] = { ...t, root };
      changed = true;
    }
  }
  return changed ? { ...next, threads } : next;
}

/** The list as thread.list returns it: unread first, then by the last reply (newest first), then the newest root. */
export function threadList(state: ThreadListState): ThreadListItem[] {
  const lastReply = (t: ThreadListItem) => t.root.thread?.lastReplyAt ?? '';
  return Object.values(state.threads).sort(
    (a, b) => Number(b.unread > 0) - Number(a.unread > 0) || (lastReply(a) < lastReply(b) ? 1 : lastReply(a) > lastReply(b) ? -1 : 0) || compareIds(b.rootId, a.rootId),
  );
}

/** One open thread: its root and the replies loaded (oldest first). */
export interface ThreadView {
  meId: string;
  cursor: string | null;
  root: RoomMessage;
  replies: readonly RoomMessage[];
  /** Whether `replies` reach back to the first reply. */
  complete: boolean;
}

/** thread.history's page(s), read after `cursor`. */
export function fromThreadPages(meId: string, cursor: string | null, pages: readonly ThreadPage[]): ThreadView {
  const newestPage = pages[0]!;
  const replies = [...new Map(pages.flatMap((p) => p.replies).map((m) => [m.id, m])).values()].sort((a, b) => compareIds(a.id, b.id));
  return { meId, cursor, root: newestPage.root, replies, complete: pages.some((p) => p.nextCursor === null) };
}

/**
 * An older page of thread.history (read with `threadPage(view).nextCursor` as its cursor) added to an open
 * thread. The view's own copies win: they have the events applied since it was read.
 */
export function withOlderThreadPage(view: ThreadView, page: ThreadPage): ThreadView {
  const replies = [...new Map([...page.replies, ...view.replies].map((m) => [m.id, m])).values()].sort((a, b) => compareIds(a.id, b.id));
  return { ...view, replies, complete: page.nextCursor === null };
}

/** The change a room or thread event makes to messages it names, as message-lifecycle.ts applies it. */
function changeOf(event: MessageEvent) {
  return event.type === 'message.created' ? null : event;
}

/** Applies one chat.onEvent event to an open thread. */
export function applyThreadEvent(view: ThreadView, event: ChatEvent): ThreadView {
  if (!('eventId' in event) || !newer(view.cursor, event.eventId)) return view;
  const next: ThreadView = { ...view, cursor: event.eventId };
  if ('roomId' in event && event.roomId !== view.root.roomId) return next;
  const reply = threadReplyOf(event);
  if (reply) {
    if (reply.rootId !== view.root.id || view.replies.some((m) => m.id === reply.message.id)) return next;
    // Older than a partial page: thread.history's older page has it.
    if (!view.complete && view.replies[0] && compareIds(reply.message.id, view.replies[0].id) < 0) return next;
    return { ...next, replies: [...view.replies, { ...reply.message, roomId: view.root.roomId }].sort((a, b) => compareIds(a.id, b.id)) };
  }
  const inner = event.type === 'thread.message' ? (event.rootId === view.root.id ? changeOf(event.event) : null) : isMessageChange(event) ? event : null;
  if (!inner) return next;
  const applied = applyMessageChange([view.root, ...view.replies], inner, view.meId) as RoomMessage[];
  // Only also-sent replies and the root are touched by the room's own kinds; thread.message only by its thread's.
  return { ...next, root: { ...applied[0]!, roomId: view.root.roomId }, replies: applied.slice(1).map((m) => ({ ...m, roomId: view.root.roomId })) };
}

const isMessageChange = (event: ChatEvent): event is MessageChange & ChatEvent =>
  event.type === 'message.edited' || event.type === 'message.deleted' || event.type === 'reaction.changed' || event.type === 'message.preview' || event.type === 'thread.updated';

/** The open thread as thread.history returns it (all loaded replies as one page). */
export function threadPage(view: ThreadView): ThreadPage {
  return { root: view.root, replies: [...view.replies], nextCursor: view.complete ? null : (view.replies[0]?.id ?? null) };
}
