import type { z } from 'zod';
import { DomainError } from '../errors';
import { publishEvents } from '../events/publish';
import { canonicalEmoji } from '../messages/emoji-set';
import { mentionNames } from '../messages/mention-names';
import { firstLink } from '../previews/first-link';
import type { UserRef } from '../room-shapes';
import { type deleteMessageInput, type editMessageInput, MAX_REACTION_EMOJI, type reactInput } from '../schemas/chat.schema';
import { type ChatMessage, type Reaction, toChatMessage, toReaction } from '../shapes';
import type { CallDeps } from './deps';
import { deleteAsModerator } from './moderator-delete';
import { refuseIfMuted } from './mute';
import { linkChanged, startPreview } from './preview-start';
import { moderatorRank } from './room-moderation';

/** The one answer for a message the caller may not see: the same whether it is missing or in a room they are not in. */
export const messageNotFound = () => new DomainError('NOT_FOUND', 'Message not found');
const deletedMessage = (what: string) => new DomainError('BAD_REQUEST', `This message was deleted; it cannot be ${what}`);

/**
 * A message's life after it was sent (issue 15): its author edits or deletes it, members react.
 * Each change is written with its events under the append lock and published after the commit;
 * a retry that would change nothing writes no event (docs/decisions/100-message-lifecycle.md).
 */
export function createMessageService(call: CallDeps) {
  const { bus, limits } = call;
  const repos = () => call.repos;

  /** The message as the caller now sees it (reactions with their `me`). */
  const current = async (messageId: string, user: UserRef): Promise<ChatMessage> => {
    const message = await repos().messages.findForReader(messageId, user.id);
    if (!message) throw messageNotFound();
    return toChatMessage(message);
  };

  /** The caller's own message, as found for the rules; NOT_FOUND outside their rooms, FORBIDDEN for another's. */
  const ownMessage = async (messageId: string, user: UserRef, verb: 'edit' | 'delete', read?: Awaited<ReturnType<CallDeps['repos']['messages']['findTarget']>>) => {
    const target = read === undefined ? await repos().messages.findTarget(messageId, user.id) : read;
    if (!target) throw messageNotFound();
    if (target.authorId !== user.id) throw new DomainError('FORBIDDEN', `You can only ${verb} your own messages`);
    return target;
  };

  return {
    async edit(user: UserRef, { messageId, text }: z.output<typeof editMessageInput>): Promise<ChatMessage> {
      const found = await repos().messages.findTarget(messageId, user.id);
      // The same text again (an outbox retry whose answer was lost) writes nothing and tells no one:
      // not charged, as a stored send's retry is not. Only the author's own live message can be a
      // no-op, so every refusal below is still charged first: ids and ownership cost budget to probe.
      const unchanged = found !== null && found.authorId === user.id && !found.deleted && found.text === text;
      if (!unchanged) await limits.consumeMessage(user.id);
      const target = await ownMessage(messageId, user, 'edit', found);
      if (target.deleted) throw deletedMessage('edited');
      await refuseIfMuted(call, user.id);
      // The message as it is, whatever the window.
      if (unchanged) return current(messageId, user);
      const window = call.messageEditWindowMinutes;
      if (window !== null && target.ageMs > window * 60_000) {
        throw new DomainError('FORBIDDEN', `Messages can only be edited within ${window} minute${window === 1 ? '' : 's'} of sending`);
      }
      const edited = await repos().messages.edit({ messageId, authorId: user.id, text, mentionNames: mentionNames(text), previewUrl: firstLink(text) });
      if (edited) {
        publishEvents(bus, edited.events);
        // A new first link gets its own card (the edit dropped the old one); the same link keeps its card or its removal.
        if (linkChanged(target.text, text)) startPreview(call, { messageId, text });
        // A dropped card's stored image (decision 141) is erased now rather than at the next sweep.
        call.fileErasure.kick();
      } else {
        // Changed under the lock (deleted, removed from the room, or the same edit raced): judge again.
        const now = await ownMessage(messageId, user, 'edit');
        if (now.deleted) throw deletedMessage('edited');
      }
      return current(messageId, user);
    },

    /**
     * The author deletes their own message; a moderator of its room (docs/decisions/110, 114)
     * anyone's, with a placeholder "removed by a moderator" and an audit entry.
     */
    async delete(user: UserRef, { messageId, reason }: z.output<typeof deleteMessageInput>): Promise<ChatMessage> {
      await limits.consumeMessage(user.id);
      const target = await repos().messages.findTarget(messageId, user.id);
      if (!target) throw messageNotFound();
      if (target.authorId !== user.id) {
        const room = await repos().rooms.findById(target.roomId);
        const rank = room ? await moderatorRank(repos(), user.id, room) : null;
        if (!rank) throw new DomainError('FORBIDDEN', 'You can only delete your own messages');
        if (!target.deleted) await deleteAsModerator(call, { ...user, rank }, { messageId, roomId: target.roomId, authorId: target.authorId, reason: reason ?? null });
        return current(messageId, user);
      }
      if (!target.deleted) {
        const deleted = await repos().messages.softDelete({ messageId, actorId: user.id, by: 'author' });
        if (deleted) publishEvents(bus, deleted.events);
        // Committed: its files' bytes go now (queued by the delete; docs/decisions/137).
        if (deleted) call.fileErasure.kick();
        else await ownMessage(messageId, user, 'delete');
      }
      return current(messageId, user);
    },

    async react(user: UserRef, { messageId, emoji, on }: z.output<typeof reactInput>): Promise<{ messageId: string; reactions: Reaction[] }> {
      const canonical = await canonicalEmoji(emoji);
      if (!canonical) throw new DomainError('BAD_REQUEST', 'Pick one emoji from the emoji set');
      // A reaction already as asked (an outbox retry, a double tap) writes nothing and tells no one:
      // not charged. Judged on the message as the reader may see it now (reader access), so a
      // message of a room they left or never joined is charged and refused as before.
      const seen = await repos().messages.findForReader(messageId, user.id);
      const mine = seen && !seen.deleted ? (seen.reactions?.some((r) => r.emoji === canonical && r.me) ?? false) : null;
      if (mine === on) {
        await refuseIfMuted(call, user.id);
        return { messageId, reactions: (seen?.reactions ?? []).map(toReaction) };
      }
      await limits.consumeMessage(user.id);
      await refuseIfMuted(call, user.id);
      const result = await repos().reactions.react({ messageId, userId: user.id, emoji: canonical, on, maxEmoji: MAX_REACTION_EMOJI });
      if (result.status === 'not-found') throw messageNotFound();
      if (result.status === 'deleted') throw deletedMessage('reacted to');
      if (result.status !== 'ok') throw new DomainError('BAD_REQUEST', `A message can have at most ${MAX_REACTION_EMOJI} different reactions`);
      if (result.event) publishEvents(bus, [result.event]);
      return { messageId, reactions: result.reactions.map(toReaction) };
    },
  };
}
