import type { z } from 'zod';
import { DomainError } from '../errors';
import { publishEvents } from '../events/publish';
import { mentionNames } from '../messages/mention-names';
import type { RoomMessage, ThreadListItem, ThreadPage } from '../room-shapes';
import type { threadHistoryInput, threadListInput, threadMarkReadInput, threadReplyInput, threadRootInput } from '../schemas/thread.schema';
import { toChatMessage } from '../shapes';
import type { CallDeps } from './deps';
import { messageNotFound } from './message.service';
import { activeMute, mutedRefusal } from './mute';
import { startPushes } from './push-start';
import { startPreview } from './preview-start';

/** A root that is a reply, or missing, or in a room the caller is not in: one answer, so nothing leaks (decision 072). */
const threadNotFound = messageNotFound;

const notARoot = () => new DomainError('BAD_REQUEST', 'Reply in the thread of the first message: a thread has no threads of its own');

/** Threads (docs/decisions/145-threads.md): replies, their history, follows, read marks and the followed list. */
export function createThreadService(call: CallDeps) {
  const { bus, limits } = call;

  /** The root as the caller may see it now, or NOT_FOUND. */
  async function requireRoot(rootId: string, userId: string) {
    const root = await call.repos.threads.findRoot(rootId, userId);
    if (!root) throw threadNotFound();
    if (root.threadRootId) throw notARoot();
    return root;
  }

  return {
    /** Charged like chat.send; a retried clientMessageId is answered before the charge, as sends are. */
    async reply(author: { id: string }, input: z.output<typeof threadReplyInput>): Promise<RoomMessage> {
      const root = await requireRoot(input.rootId, author.id);
      if (input.clientMessageId !== undefined) {
        const stored = await call.repos.messages.findStoredSend(author.id, root.roomId, input.clientMessageId);
        if (stored) return { ...toChatMessage(stored), roomId: root.roomId };
      }
      await limits.consumeMessage(author.id);
      const result = await call.repos.threads.reply({
        authorId: author.id,
        rootId: input.rootId,
        text: input.text,
        clientMessageId: input.clientMessageId ?? null,
        alsoToRoom: input.alsoSendToRoom ?? false,
        replyTo: input.replyTo ?? null,
        mentionNames: mentionNames(input.text),
      });
      if (result.refused) {
        if (result.reason === 'muted') throw mutedRefusal((await activeMute(call, author.id)) ?? new Date());
        if (result.reason === 'not-a-root') throw notARoot();
        if (result.reason === 'root-deleted') throw new DomainError('BAD_REQUEST', 'This message was deleted; it cannot start a thread');
        if (result.reason === 'quote-elsewhere') throw new DomainError('BAD_REQUEST', 'You can only quote a message of the same thread');
        if (result.reason === 'quote-deleted') throw new DomainError('BAD_REQUEST', 'You cannot reply to a deleted message');
        throw threadNotFound();
      }
      if (result.created) {
        publishEvents(bus, result.events);
        startPreview(call, { messageId: result.message.id, text: result.message.text });
        startPushes(call, { ...toChatMessage(result.message), roomId: result.message.roomId }, { rootId: input.rootId });
      }
      return { ...toChatMessage(result.message), roomId: result.message.roomId };
    },

    /** The root and a page of replies, for a member of its room now; charged for the rows asked, like chat.history. */
    async history(reader: { id: string }, input: z.output<typeof threadHistoryInput>): Promise<ThreadPage> {
      const root = await requireRoot(input.rootId, reader.id);
      await limits.consumeHistoryRows(reader.id, input.limit);
      const page = await call.repos.threads.pageBefore(input.rootId, input.cursor ?? null, input.limit, reader.id);
      const replies = page.messages.map((m) => ({ ...toChatMessage(m), roomId: root.roomId }));
      return { root: { ...toChatMessage(root), roomId: root.roomId }, replies, nextCursor: page.hasOlder && replies[0] ? replies[0].id : null };
    },

    /** Follow (`true`) or unfollow; charged as a read mark (a row and an event to the caller's own streams). */
    async setFollowing(user: { id: string }, input: z.output<typeof threadRootInput>, following: boolean): Promise<null> {
      const root = await requireRoot(input.rootId, user.id);
      await limits.consumeReadMark(user.id);
      publishEvents(bus, [await call.repos.threads.setFollowing({ rootId: input.rootId, roomId: root.roomId, userId: user.id, following })]);
      return null;
    },

    async markRead(user: { id: string }, input: z.output<typeof threadMarkReadInput>): Promise<null> {
      const root = await requireRoot(input.rootId, user.id);
      await limits.consumeReadMark(user.id);
      const event = await call.repos.threads.markRead({ rootId: input.rootId, roomId: root.roomId, userId: user.id, messageId: input.messageId ?? null });
      if (event === 'not-a-reply') throw new DomainError('NOT_FOUND', 'Message not found in this thread');
      publishEvents(bus, [event]);
      return null;
    },

    /** Followed threads in the caller's rooms, unread first; charged as history rows. */
    async list(user: { id: string }, input: z.output<typeof threadListInput>): Promise<ThreadListItem[]> {
      await limits.consumeHistoryRows(user.id, input.limit);
      const rows = await call.repos.threads.listFollowed(user.id, input.limit);
      return rows.map((r) => ({
        rootId: r.root.id,
        roomId: r.root.roomId,
        root: { ...toChatMessage(r.root), roomId: r.root.roomId },
        lastReadMessageId: r.lastReadMessageId,
        lastReplyId: r.lastReplyId,
        unread: r.unread,
        mentions: r.mentions,
      }));
    },
  };
}
