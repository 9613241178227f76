import type { ChatMessage, DurableEvent, Reaction } from '@chat/api';
import { quoteExcerpt } from '@chat/api/schemas';
import { sameEmoji } from './emoji';
import { compareIds } from './ids';

// Issue 15's lifecycle events on a list of loaded messages (oldest first, unique by id). Each
// function sets state from the event's absolute values, so applying an event twice, or one the
// list already reflects, changes nothing. Shared by the room state here and any timeline (the web's).

type Edited = Extract<DurableEvent, { type: 'message.edited' }>;
type Deleted = Extract<DurableEvent, { type: 'message.deleted' }>;
type ReactionChanged = Extract<DurableEvent, { type: 'reaction.changed' }>;
type PreviewChanged = Extract<DurableEvent, { type: 'message.preview' }>;
type UserUpdated = Extract<DurableEvent, { type: 'user.updated' }>;
type ThreadUpdated = Extract<DurableEvent, { type: 'thread.updated' }>;

/** What a reply shows of `original` now: its first line, or nothing once it is deleted. */
export const quoteOf = (original: Pick<ChatMessage, 'text' | 'deleted'>) => ({
  excerpt: original.deleted ? '' : quoteExcerpt(original.text),
  deleted: !!original.deleted,
});

/**
 * The replies to `originalId` show `quote`; the rest stay the same objects. A quote that shows its
 * original deleted stays so: deleting is final, so an edit applied after it (a change list applied
 * over a page read later) is older than the deletion.
 */
function requote(messages: readonly ChatMessage[], originalId: string, quote: { excerpt: string; deleted: boolean }): ChatMessage[] {
  return messages.map((m) =>
    m.replyTo?.id === originalId && !(m.replyTo.deleted && !quote.deleted) && (m.replyTo.excerpt !== quote.excerpt || m.replyTo.deleted !== quote.deleted)
      ? { ...m, replyTo: { ...m.replyTo, ...quote } }
      : m,
  );
}

/** A message with `reactions` set, or without the field when there are none (as the server omits it). */
function withReactions(m: ChatMessage, reactions: readonly Reaction[]): ChatMessage {
  const { reactions: _old, ...rest } = m;
  return reactions.length ? { ...rest, reactions: [...reactions] } : rest;
}

/** The placeholder a deleted message becomes: no text, mentions, reactions, quote or link preview. */
export function blanked(m: ChatMessage, deleted: NonNullable<ChatMessage['deleted']>): ChatMessage {
  const { mentions: _m, reactions: _r, replyTo: _q, preview: _p, ...rest } = m;
  return { ...rest, text: '', deleted };
}

/**
 * message.edited: the message (in its current state, without reactions) replaces the held one,
 * which keeps its reactions; replies to it quote the new text. A message not held (older than the
 * loaded page) is not added, but replies to it held here are still requoted. A held placeholder
 * stays one: deleting is final, so the edit is older than what is held.
 */
export function applyEdited(messages: readonly ChatMessage[], event: { message: ChatMessage }): ChatMessage[] {
  // The event's message carries its roomId, the edit's answer does not; a held message has none.
  const { roomId: _roomId, reactions: _none, ...edited } = event.message as Edited['message'];
  const replaced = messages.map((m) => (m.id !== edited.id || m.deleted ? m : edited.deleted ? edited : withReactions(edited, m.reactions ?? [])));
  return requote(replaced, edited.id, quoteOf(edited));
}

/** message.deleted: the message becomes its placeholder; quotes of it show it deleted. */
export function applyDeleted(messages: readonly ChatMessage[], event: Pick<Deleted, 'messageId' | 'deleted'>): ChatMessage[] {
  const blank = messages.map((m) => (m.id === event.messageId && !m.deleted ? blanked(m, event.deleted) : m));
  return requote(blank, event.messageId, { excerpt: '', deleted: true });
}

const byOrder = (a: Reaction, b: Reaction) => compareIds(a.order, b.order);

/**
 * reaction.changed: the emoji's entry takes the event's count, users and order (count 0 removes it),
 * and the entries stay sorted by `order`: "a new emoji goes last" cannot place an emoji that came
 * back after an old removal was replayed onto a newer snapshot (decision 100). `me` follows the
 * event only when the viewer is the one who reacted.
 */
export function applyReaction(messages: readonly ChatMessage[], event: Omit<ReactionChanged, 'type' | 'eventId' | 'roomId'>, meId: string): ChatMessage[] {
  return messages.map((m) => {
    // A deleted message has no reactions (an old event replayed onto its placeholder adds none).
    if (m.id !== event.messageId || m.deleted) return m;
    const list = m.reactions ?? [];
    // The server's events carry its own form of the emoji; the user's own answer may carry the picked one.
    const held = list.find((r) => sameEmoji(r.emoji, event.emoji));
    if (event.count === 0) return held ? withReactions(m, list.filter((r) => r !== held)) : m;
    const entry: Reaction = { emoji: held?.emoji ?? event.emoji, count: event.count, users: [...event.users], me: event.user.id === meId ? event.on : (held?.me ?? false), order: event.order };
    return withReactions(m, [...list.filter((r) => r !== held), entry].sort(byOrder));
  });
}

/**
 * message.preview: the message's link card becomes the event's (null: none, the field omitted as the
 * server omits it). A placeholder keeps none: deleting is final, and a deleted message has no card.
 */
export function applyPreview(messages: readonly ChatMessage[], event: Pick<PreviewChanged, 'messageId' | 'preview'>): ChatMessage[] {
  return messages.map((m) => {
    if (m.id !== event.messageId || m.deleted) return m;
    const { preview: _old, ...rest } = m;
    return event.preview ? { ...rest, preview: event.preview } : rest;
  });
}

/** thread.updated: the root shows its thread's counters (absolute: the event's replace what it had). A deleted root keeps them. */
export function applyThreadUpdated(messages: readonly ChatMessage[], event: Pick<ThreadUpdated, 'rootId' | 'thread'>): ChatMessage[] {
  return messages.map((m) => (m.id === event.rootId ? { ...m, thread: event.thread } : m));
}

/** A change to loaded messages: an edit, delete, reaction, preview or thread counters event, or the answer to the user's own (as the same change). */
export type MessageChange =
  | { type: 'message.edited'; message: ChatMessage }
  | Pick<Deleted, 'type' | 'messageId' | 'deleted'>
  | Omit<ReactionChanged, 'eventId' | 'roomId'>
  | Pick<PreviewChanged, 'type' | 'messageId' | 'preview'>
  | Pick<UserUpdated, 'type' | 'user'>
  | Pick<ThreadUpdated, 'type' | 'rootId' | 'thread'>;

/** Applies one change with the function for its type. */
export function applyMessageChange(messages: readonly ChatMessage[], change: MessageChange, meId: string): ChatMessage[] {
  switch (change.type) {
    case 'message.edited':
      return applyEdited(messages, change);
    case 'message.deleted':
      return applyDeleted(messages, change);
    case 'reaction.changed':
      return applyReaction(messages, change, meId);
    case 'message.preview':
      return applyPreview(messages, change);
    case 'user.updated':
      return applyUserUpdated(messages, change);
    case 'thread.updated':
      return applyThreadUpdated(messages, change);
  }
}

/** The answer to the user's own chat.react, as the change of the one emoji toggled (the stream's event for it is then a no-op). */
export function reactionChangeOfAnswer(answer: { messageId: string; reactions: readonly Reaction[] }, emoji: string, on: boolean, me: ReactionChanged['user']): MessageChange {
  const entry = answer.reactions.find((r) => sameEmoji(r.emoji, emoji));
  // Gone from the answer: count 0 removes the entry, so its order does not matter.
  return { type: 'reaction.changed', messageId: answer.messageId, emoji: entry?.emoji ?? emoji, count: entry?.count ?? 0, users: entry?.users ?? [], user: me, on, order: entry?.order ?? '0' };
}

/** Whether `m` counts as a mention of `meId` (the read position aside): not deleted, and it names them. */
export const namesMe = (m: ChatMessage, meId: string) => !m.deleted && (m.mentions?.some((u) => u.id === meId) ?? false);

/** Whether two references to one user show them alike (name, avatar, display name). */
export const sameShown = (a: ChatMessage['author'], b: ChatMessage['author']) => a.username === b.username && a.avatar === b.avatar && a.displayName === b.displayName;

/** The fields of a user that message authors carry: the event's status and time zone are for profile views only. */
export function authorOf(user: UserUpdated['user']): ChatMessage['author'] {
  const author: ChatMessage['author'] = { id: user.id, username: user.username };
  if (user.avatar) author.avatar = user.avatar;
  if (user.displayName) author.displayName = user.displayName;
  return author;
}

/**
 * The user as they are now (a new avatar or display name, an anonymised name) on their messages: the author set
 * to the event's user's author fields (docs/decisions/155-profiles.md), absolute, so a repeat changes nothing;
 * other messages stay the same objects. Quotes, mentions and reactions name users by username and keep the name
 * they had when written.
 */
export function applyUserUpdated(messages: readonly ChatMessage[], event: Pick<UserUpdated, 'user'>): ChatMessage[] {
  const author = authorOf(event.user);
  const same = (a: ChatMessage['author']) => sameShown(a, author);
  if (!messages.some((m) => m.author.id === author.id && !same(m.author))) return messages as ChatMessage[];
  return messages.map((m) => (m.author.id === author.id && !same(m.author) ? { ...m, author: { ...author } } : m));
}
