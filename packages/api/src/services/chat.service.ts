import { EVERYONE_ROOM_ID } from '@chat/db';
import type { EventWriter, MessageWriter } from '../events/push-lane-contract';
import type { z } from 'zod';
import { DomainError } from '../errors';
import { publishEvents } from '../events/publish';
import { mentionNames } from '../messages/mention-names';
import { HandOffStream } from '../bus/hand-off-stream';
import { type StreamItemOut, userEventStream } from '../events/event-stream';
import { everyoneMessageStream, roomMessageStream } from '../events/message-streams';
import type { ReaderStreamDeps } from '../events/reader-stream';
import type { RoomMessage } from '../room-shapes';
import type { historyInput, sendMessageInput } from '../schemas/chat.schema';
import { type ChatMessage, toChatMessage } from '../shapes';
import type { CallDeps } from './deps';
import { messageNotFound } from './message.service';
import { activeMute, mutedRefusal } from './mute';
import { startPreview } from './preview-start';
import { startPushes } from './push-start';
import { requireMember, roomNotFound } from './room-access';

/** What every subscription reads through: the dispatcher's per-reader stream (events/reader-stream.ts). */
export const streamDeps = (call: CallDeps): ReaderStreamDeps => ({
  orm: call.orm,
  feed: call.events,
  dispatcher: call.dispatcher,
  presence: call.presence,
  typing: call.typing,
  replayLimit: call.eventReplayLimit,
});

export function createChatService(call: CallDeps) {
  const { bus, limits } = call;
  return {
    /**
     * Without roomId: #everyone, exactly as before rooms. With one: members only (room-access rule),
     * checked under the append lock, so a message never lands after its author's removal.
     */
    async send(author: { id: string }, input: z.output<typeof sendMessageInput>): Promise<ChatMessage> {
      const roomId = input.roomId ?? EVERYONE_ROOM_ID;
      const clientMessageId = input.clientMessageId ?? null;
      const attachmentIds = input.attachmentIds ?? [];
      const names = mentionNames(input.text);
      const plain = input.replyTo === undefined && names.length === 0 && attachmentIds.length === 0;
      /** A retry of a send already stored is answered, never refused: an outbox that lost the first answer must not fail a message that went through. */
      const storedSend = () => (clientMessageId === null ? null : call.repos.messages.findStoredSend(author.id, roomId, clientMessageId));
      if (!plain) {
        // A reply's or attachment's checks below could refuse a retry (its original deleted since): answer first.
        const stored = await storedSend();
        if (stored) return toChatMessage(stored);
      }
      try {
        await limits.consumeMessage(author.id);
      } catch (error) {
        // At the limit, a retry of a stored send is still answered, for free.
        const stored = plain && error instanceof DomainError && error.code === 'TOO_MANY_REQUESTS' ? await storedSend() : null;
        if (stored) return toChatMessage(stored);
        throw error;
      }
      if (input.replyTo !== undefined) await requireReplyTarget(call, roomId, author.id, input.replyTo);
      // A plain message keeps the one-statement append (which answers a retry with the stored row, so
      // the hot path reads nothing first), gathered with the instance's other plain sends (decision 162);
      // a reply or a possible mention takes a short transaction.
      const result = plain
        ? await call.appends.append({ authorId: author.id, ...(input.roomId === undefined ? {} : { roomId: input.roomId }), text: input.text, clientMessageId })
        : await call.repos.messages.appendDetailed({ authorId: author.id, roomId, text: input.text, clientMessageId, replyTo: input.replyTo ?? null, mentionNames: names, attachmentIds });
      if (result.refused) {
        // Muted since it went through, say: the stored message is still the answer.
        const stored = plain ? await storedSend() : null;
        if (stored) {
          await limits.refundMessage(author.id);
          return toChatMessage(stored);
        }
        const mutedUntil = await activeMute(call, author.id);
        if (mutedUntil) throw mutedRefusal(mutedUntil);
        if (result.reason === 'not-member' || result.reason === 'muted') {
          await requireMember(call.repos, roomId, author.id);
          throw roomNotFound();
        }
        throw replyRefused(result.reason);
      }
      // A retry answered by the append itself spends nothing.
      if (!result.created) await limits.refundMessage(author.id);
      const chatMessage = toChatMessage(result.message);
      // Published only after the commit, and only once: a retried clientMessageId is not news.
      if (result.created && result.events.length > 0) publishEvents(bus, result.events);
      else if (result.created && result.eventId) {
        const event = Object.freeze({
          id: result.eventId,
          type: 'message.created' as const,
          roomId,
          userId: author.id,
          messageId: chatMessage.id,
          message: { ...chatMessage, roomId },
          payload: null,
          createdAt: chatMessage.createdAt,
        });
        bus.publish({ type: 'event', event });
      }
      // After the commit and the publish, never awaited: the answer does not wait for a fetch.
      if (result.created) {
        startPreview(call, { messageId: chatMessage.id, text: chatMessage.text });
        startPushes(call, { ...chatMessage, roomId });
      }
      return chatMessage;
    },

    /** Without roomId: #everyone, exactly as before rooms. With one: members only. */
    async history(reader: { id: string }, { roomId, before, limit }: z.output<typeof historyInput>) {
      if (roomId !== undefined) await requireMember(call.repos, roomId, reader.id);
      // Charged for the rows asked, before the read: a refused call costs the database nothing.
      await limits.consumeHistoryRows(reader.id, limit);
      const page = await call.repos.messages.pageBefore(before ?? null, limit, roomId ?? EVERYONE_ROOM_ID, reader.id);
      const messages = page.messages.map(toChatMessage);
      return { messages, nextBefore: page.hasOlder && messages[0] ? messages[0].id : null };
    },

    /** The newest event id: take a snapshot after it, then resume chat.onEvent from it. */
    async eventCursor(): Promise<{ cursor: string }> {
      return { cursor: (await call.repos.events.maxId()) ?? '0' };
    },

    /** chat.onEvent (events/event-stream.ts); live items go through `push` once the stream has caught up, when given. */
    events(user: { id: string }, lastEventId: string | null, signal: AbortSignal, push: EventWriter | null = null, threads = false): AsyncIterableIterator<StreamItemOut> {
      return new HandOffStream(userEventStream(streamDeps(call), { userId: user.id, lastEventId, signal, push, threads }), signal, push);
    },

    /** chat.onMessage for a room other than #everyone: members only, ends when they leave. */
    async *roomMessages(user: { id: string }, roomId: string, lastEventId: string | null, signal: AbortSignal): AsyncGenerator<RoomMessage> {
      await requireMember(call.repos, roomId, user.id);
      yield* roomMessageStream(streamDeps(call), { userId: user.id, roomId, lastEventId, signal });
    },

    /**
     * chat.onMessage for #everyone: its messages after `lastEventId` (a message id) from the
     * database, then live ones, in id order with no gap and no duplicate. Without `lastEventId`,
     * live messages only. With `push`, live ones go through it once the backlog is out.
     */
    everyoneMessages(user: { id: string }, lastEventId: string | null, signal: AbortSignal, push: MessageWriter | null = null): AsyncIterableIterator<ChatMessage> {
      return new HandOffStream(everyoneMessageStream(streamDeps(call), { userId: user.id, lastEventId, signal, push }), signal, push);
    },
  };
}

/** A reply answers a message the author can read, in the same room, not deleted (checked again under the lock). */
async function requireReplyTarget(call: CallDeps, roomId: string, authorId: string, replyTo: string) {
  await requireMember(call.repos, roomId, authorId);
  const original = await call.repos.messages.findTarget(replyTo, authorId);
  if (!original) throw messageNotFound();
  if (original.roomId !== roomId) throw replyRefused('reply-other-room');
  if (original.deleted) throw replyRefused('reply-deleted');
}

function replyRefused(reason: 'reply-missing' | 'reply-other-room' | 'reply-deleted' | 'attachments'): DomainError {
  if (reason === 'attachments') return new DomainError('BAD_REQUEST', 'Attach only your own uploads to this room that are finished and not sent yet');
  if (reason === 'reply-missing') return messageNotFound();
  if (reason === 'reply-other-room') return new DomainError('BAD_REQUEST', 'You can only reply to a message in the same room');
  return new DomainError('BAD_REQUEST', 'You cannot reply to a deleted message');
}
