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
      // A retry of a send already stored is answered before the limit is charged: an outbox that
      // lost the first answer must not spend the sender's budget, nor be refused, for a no-op.
      if (input.clientMessageId !== undefined) {
        const stored = await call.repos.messages.findStoredSend(author.id, roomId, input.clientMessageId);
        if (stored) return toChatMessage(stored);
      }
      await limits.consumeMessage(author.id);
      if (input.replyTo !== undefined) await requireReplyTarget(call, roomId, author.id, input.replyTo);
      const names = mentionNames(input.text);
      const clientMessageId = input.clientMessageId ?? null;
      // A plain message keeps the one-statement append; a reply or a possible mention takes a short transaction.
      const attachmentIds = input.attachmentIds ?? [];
      const result =
        input.replyTo === undefined && names.length === 0 && attachmentIds.length === 0
          ? await call.repos.messages.append({ authorId: author.id, ...(input.roomId === undefined ? {} : { roomId: input.roomId }), text: input.text, clientMessageId })
          : await call.repos.messages.appendDetailed({ authorId: author.id, roomId, text: input.text, clientMessageId, replyTo: input.replyTo ?? null, mentionNames: names, attachmentIds });
      if (result.refused) {
        const mutedUntil = await activeMute(call, author.id);
        if (mutedUntil) throw mutedRefusal(mutedUntil);
        if (result.reason === 'not-member' || result.reason === 'muted') {
          await requireMember(call.repos, roomId, author.id);
          throw roomNotFound();
        }
        throw replyRefused(result.reason);
      }
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
      if (result.created) startPreview(call, { messageId: chatMessage.id, text: chatMessage.text });
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
