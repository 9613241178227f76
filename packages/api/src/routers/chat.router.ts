import type { TRPCRouterRecord } from '@trpc/server';
import { EVERYONE_ROOM_ID } from '../schemas/ids';
import { deleteMessageInput, editMessageInput, removePreviewInput, historyInput, onMessageInput, reactInput, reportMessageInput, searchMessagesInput, sendMessageInput, typingInput } from '../schemas/chat.schema';
import { pinInput, pinsInput } from '../schemas/pin.schema';
import { onEventInput } from '../schemas/room.schema';
import { protectedProcedure } from '../trpc';
import { TrackedById, TrackedItems } from './tracked-stream';

const userOf = (ctx: { user: { userId: string; username: string } }) => ({ id: ctx.user.userId, username: ctx.user.username });
const signalOf = (signal: AbortSignal | undefined) => signal ?? new AbortController().signal;

export const chatRouter = {
  send: protectedProcedure.input(sendMessageInput).mutation(({ ctx, input }) => ctx.services.chat.send(userOf(ctx), input)),
  edit: protectedProcedure.input(editMessageInput).mutation(({ ctx, input }) => ctx.services.messages.edit(userOf(ctx), input)),
  delete: protectedProcedure.input(deleteMessageInput).mutation(({ ctx, input }) => ctx.services.messages.delete(userOf(ctx), input)),
  /** Tell the server's admins about a message of a room the caller is in (admin.reports). */
  report: protectedProcedure.input(reportMessageInput).mutation(({ ctx, input }) => ctx.services.reports.report(userOf(ctx), input)),
  /** The author removes their message's link preview; others get FORBIDDEN (docs/decisions/138-link-previews.md). */
  removePreview: protectedProcedure.input(removePreviewInput).mutation(({ ctx, input }) => ctx.services.previews.remove(userOf(ctx), input)),
  /** Pin a message of the room to its pinned list (docs/decisions/154-pinned-messages.md). */
  pin: protectedProcedure.input(pinInput).mutation(({ ctx, input }) => ctx.services.pins.pin(userOf(ctx), input)),
  unpin: protectedProcedure.input(pinInput).mutation(({ ctx, input }) => ctx.services.pins.unpin(userOf(ctx), input)),
  /** A room's pinned messages, newest pin first. */
  pins: protectedProcedure.input(pinsInput).query(({ ctx, input }) => ctx.services.pins.list(userOf(ctx), input.roomId)),
  react: protectedProcedure.input(reactInput).mutation(({ ctx, input }) => ctx.services.messages.react(userOf(ctx), input)),
  search: protectedProcedure.input(searchMessagesInput).query(({ ctx, input }) => ctx.services.search.search(userOf(ctx), input)),
  history: protectedProcedure.input(historyInput).query(({ ctx, input }) => ctx.services.chat.history({ id: ctx.user.userId }, input)),
  onMessage: protectedProcedure.input(onMessageInput).subscription(({ ctx, input, signal }) => {
    const lastEventId = input?.lastEventId ?? null;
    if (input?.roomId !== undefined && input.roomId !== EVERYONE_ROOM_ID) {
      return new TrackedById(ctx.services.chat.roomMessages(userOf(ctx), input.roomId, lastEventId, signalOf(signal)));
    }
    const push = ctx.deps.pushLane.claim(ctx.requestId, lastEventId);
    return new TrackedById(ctx.services.chat.everyoneMessages(userOf(ctx), lastEventId, signalOf(signal), push));
  }),
  /** One subscription per socket: every event the caller may see (docs/decisions/070-event-model.md). */
  onEvent: protectedProcedure.input(onEventInput).subscription(({ ctx, input, signal }) => {
    const lastEventId = input?.lastEventId ?? null;
    const push = ctx.deps.pushLane.claimEvents(ctx.requestId, lastEventId);
    return new TrackedItems(ctx.services.chat.events(userOf(ctx), lastEventId, signalOf(signal), push, input?.threads ?? false));
  }),
  /** The newest event id: a snapshot taken after it plus chat.onEvent from it is the whole state. */
  eventCursor: protectedProcedure.query(({ ctx }) => ctx.services.chat.eventCursor()),
  typing: protectedProcedure.input(typingInput).mutation(({ ctx, input }) => ctx.services.presence.setTyping(userOf(ctx), input.typing, input.roomId)),
  onTyping: protectedProcedure.subscription(({ ctx, signal }) => ctx.services.presence.typing(ctx.user.userId, signalOf(signal))),
  onPresence: protectedProcedure.subscription(({ ctx, signal }) => ctx.services.presence.presence(ctx.user.userId, signalOf(signal))),
} satisfies TRPCRouterRecord;
