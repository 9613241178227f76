import type { TRPCRouterRecord } from '@trpc/server';
import { historyInput, onMessageInput, sendMessageInput, typingInput } from '../schemas/chat.schema';
import { protectedProcedure } from '../trpc';
import { TrackedById } from './tracked-stream';

const userOf = (ctx: { user: { userId: string; username: string } }) => ({ id: ctx.user.userId, username: ctx.user.username });
const signalOf = (signal: AbortSignal | undefined) => signal ?? new AbortController().signal;

export const chatRouter = {
  send: protectedProcedure.input(sendMessageInput).mutation(({ ctx, input }) => ctx.services.chat.send(userOf(ctx), input)),
  history: protectedProcedure.input(historyInput).query(({ ctx, input }) => ctx.services.chat.history({ id: ctx.user.userId }, input)),
  onMessage: protectedProcedure.input(onMessageInput).subscription(({ ctx, input, signal }) => {
    const lastEventId = input?.lastEventId ?? null;
    const push = ctx.pushLane?.claim(lastEventId) ?? null;
    return new TrackedById(ctx.services.chat.stream({ lastEventId, signal: signalOf(signal), push }));
  }),
  typing: protectedProcedure.input(typingInput).mutation(({ ctx, input }) => ctx.services.presence.setTyping(userOf(ctx), input.typing)),
  onTyping: protectedProcedure.subscription(({ ctx, signal }) => ctx.services.presence.typing(ctx.user.userId, signalOf(signal))),
  onPresence: protectedProcedure.subscription(({ ctx, signal }) => ctx.services.presence.presence(signalOf(signal))),
} satisfies TRPCRouterRecord;
