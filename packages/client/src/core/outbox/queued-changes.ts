import type { ChatMessage, Reaction, UserRef } from '@chat/api';
import { sameEmoji } from '../emoji';
import type { OutboxItem } from './outbox-item';

/** How a message shows the user's own edits and reactions still in the outbox. */
export interface QueuedMarks {
  /** The text shown is a queued edit's, not yet the server's. */
  edit: boolean;
  /** Emoji whose state for the user is a queued reaction's, not yet the server's. */
  reactions: string[];
}

/**
 * Loaded messages as the user will see them once their queued edits and reactions are delivered:
 * the newest queued edit's text, each queued reaction set on or off for the user, in queue order,
 * with marks saying which parts are still pending. A refused (failed) item is not applied, so the
 * message goes back to the server's state, and the delivered answer replaces what this showed.
 * Like a reaction on the server, each item sets the user's reaction rather than toggling it, so
 * an item the loaded state already reflects changes nothing but its mark.
 */
export function withQueuedChanges(
  messages: readonly ChatMessage[],
  items: readonly OutboxItem[],
  me: UserRef,
): { messages: ChatMessage[]; marks: ReadonlyMap<string, QueuedMarks> } {
  const byMessage = new Map<string, OutboxItem[]>();
  for (const item of items) {
    if (item.kind === 'send' || item.kind === 'reply' || item.state.status === 'failed') continue;
    const list = byMessage.get(item.input.messageId) ?? [];
    byMessage.set(item.input.messageId, [...list, item]);
  }
  const marks = new Map<string, QueuedMarks>();
  if (byMessage.size === 0) return { messages: [...messages], marks };
  const shown = messages.map((message) => {
    const queued = byMessage.get(message.id);
    // A deleted message keeps no text or reactions to change; the server will refuse these items.
    if (!queued || message.deleted) return message;
    const mark: QueuedMarks = { edit: false, reactions: [] };
    let next = message;
    for (const item of [...queued].sort((a, b) => a.seq - b.seq)) {
      if (item.kind === 'edit') {
        next = { ...next, text: item.input.text };
        mark.edit = true;
      } else if (item.kind === 'react') {
        next = withMyReaction(next, item.input.emoji, item.input.on, me);
        if (!mark.reactions.some((e) => sameEmoji(e, item.input.emoji))) mark.reactions.push(item.input.emoji);
      }
    }
    marks.set(message.id, mark);
    return next;
  });
  return { messages: shown, marks };
}

/** Reaction.users names the first 20 who reacted. */
const NAMED_REACTORS = 20;

/** The user's reaction `emoji` set on or off, counts and names adjusted; a new emoji goes last. */
function withMyReaction(message: ChatMessage, emoji: string, on: boolean, me: UserRef): ChatMessage {
  const list = message.reactions ?? [];
  const held = list.find((r) => sameEmoji(r.emoji, emoji));
  if ((held?.me ?? false) === on) return message;
  let reactions: Reaction[];
  if (on) {
    const entry: Reaction = held
      ? { ...held, count: held.count + 1, users: held.users.length < NAMED_REACTORS ? [...held.users, me] : held.users, me: true }
      : { emoji, count: 1, users: [me], me: true, order: '' };
    reactions = held ? list.map((r) => (r === held ? entry : r)) : [...list, entry];
  } else {
    const entry: Reaction = { ...held!, count: held!.count - 1, users: held!.users.filter((u) => u.id !== me.id), me: false };
    reactions = entry.count > 0 ? list.map((r) => (r === held ? entry : r)) : list.filter((r) => r !== held);
  }
  const { reactions: _old, ...rest } = message;
  return reactions.length ? { ...rest, reactions } : rest;
}
