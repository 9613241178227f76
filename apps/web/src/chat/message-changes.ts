import { quoteExcerpt } from '@chat/api/schemas';
import type { ChatMessage, RouterOutputs } from '../api/trpc';
import type { StreamEvent } from '../rooms/room-types';
import { compareIds } from './message-order';

type Reaction = NonNullable<ChatMessage['reactions']>[number];
type ReactionEvent = Extract<StreamEvent, { type: 'reaction.changed' }>;

/**
 * A change to a message already in the timeline, from the event stream or from the answer to the
 * user's own edit, delete or reaction. Each carries absolute state, so applying one twice, or one the
 * history page already reflects, changes nothing.
 */
export type MessageChange =
  | { type: 'edited'; message: ChatMessage }
  | { type: 'deleted'; messageId: string; deleted: NonNullable<ChatMessage['deleted']> }
  | { type: 'reaction'; messageId: string; emoji: string; count: number; users: Reaction['users']; user: { id: string }; on: boolean; order: string };

export const changeOfEvent = (event: Extract<StreamEvent, { type: 'message.edited' | 'message.deleted' | 'reaction.changed' }>): MessageChange =>
  event.type === 'message.edited'
    ? { type: 'edited', message: event.message }
    : event.type === 'message.deleted'
      ? { type: 'deleted', messageId: event.messageId, deleted: event.deleted }
      : reactionChange(event);

const reactionChange = ({ messageId, emoji, count, users, user, on, order }: ReactionEvent): MessageChange => ({ type: 'reaction', messageId, emoji, count, users, user, on, order });

/** The server may store an emoji without its variation selector; compare the way it does. */
export const sameEmoji = (a: string, b: string) => a.replace(/\uFE0F/g, '') === b.replace(/\uFE0F/g, '');

/** The user's own react answer, as the change of the one emoji they toggled. */
export function changeOfReactAnswer(answer: RouterOutputs['chat']['react'], emoji: string, on: boolean, me: { id: string }): MessageChange {
  const entry = answer.reactions.find((r) => sameEmoji(r.emoji, emoji));
  // Gone from the answer: count 0 removes the entry, so its order does not matter.
  return { type: 'reaction', messageId: answer.messageId, emoji: entry?.emoji ?? emoji, count: entry?.count ?? 0, users: entry?.users ?? [], user: me, on, order: entry?.order ?? '0' };
}

/** Without the key rather than `undefined`: the message compares equal to the server's JSON. */
function withReactions(message: ChatMessage, reactions: Reaction[] | undefined): ChatMessage {
  const { reactions: _old, ...rest } = message;
  return reactions && reactions.length ? { ...rest, reactions } : rest;
}

function applyReaction(message: ChatMessage, c: Extract<MessageChange, { type: 'reaction' }>, meId: string): ChatMessage {
  if (message.deleted) return message;
  const list = message.reactions ?? [];
  const index = list.findIndex((r) => sameEmoji(r.emoji, c.emoji));
  const current = list[index];
  if (c.count === 0) return index < 0 ? message : withReactions(message, list.filter((_, i) => i !== index));
  const me = c.user.id === meId ? c.on : (current?.me ?? false);
  const next: Reaction = { emoji: current?.emoji ?? c.emoji, count: c.count, users: c.users, me, order: c.order };
  // By the server's order, not "new last": an emoji that came back after a replayed old removal keeps its place (decision 100).
  return withReactions(message, [...list.filter((_, i) => i !== index), next].sort((a, b) => compareIds(a.order, b.order)));
}

function blanked(message: ChatMessage, deleted: NonNullable<ChatMessage['deleted']>): ChatMessage {
  const { mentions: _m, reactions: _r, replyTo: _q, ...rest } = message;
  return { ...rest, text: '', deleted };
}

/** The messages with the changes applied in order; quotes of an edited or deleted message follow it. */
export function applyMessageChanges(messages: readonly ChatMessage[], changes: readonly MessageChange[], meId: string): ChatMessage[] {
  if (!changes.length) return messages as ChatMessage[];
  const out = [...messages];
  const index = new Map(out.map((m, i) => [m.id, i]));
  const update = (id: string, f: (m: ChatMessage) => ChatMessage) => {
    const i = index.get(id);
    if (i !== undefined) out[i] = f(out[i]!);
  };
  const requote = (id: string, f: (q: NonNullable<ChatMessage['replyTo']>) => NonNullable<ChatMessage['replyTo']>) => {
    for (let i = 0; i < out.length; i++) {
      const q = out[i]!.replyTo;
      if (q?.id === id) out[i] = { ...out[i]!, replyTo: f(q) };
    }
  };
  for (const c of changes) {
    switch (c.type) {
      case 'edited':
        update(c.message.id, (m) => (m.deleted ? m : withReactions({ ...c.message }, m.reactions)));
        requote(c.message.id, (q) => (q.deleted ? q : { ...q, excerpt: quoteExcerpt(c.message.text) }));
        break;
      case 'deleted':
        update(c.messageId, (m) => (m.deleted ? m : blanked(m, c.deleted)));
        requote(c.messageId, (q) => ({ ...q, excerpt: '', deleted: true }));
        break;
      case 'reaction':
        update(c.messageId, (m) => applyReaction(m, c, meId));
        break;
    }
  }
  return out;
}
