import { tracked, type TRPCRouterRecord } from '@trpc/server';
import { historyInput, onMessageInput, sendMessageInput, typingInput } from '../schemas/chat.schema';
import { protectedProcedure } from '../trpc';

const userOf = (ctx: { user: { userId: string; username: string } }) => ({ id: ctx.user.userId, username: ctx.user.username });
const signalOf = (signal: AbortSignal | undefined) => signal ?? new AbortController().signal;

export const chatRouter = {
  send: protectedProcedure.input(sendMessageInput).mutation(({ ctx, input }) => ctx.services.chat.send(userOf(ctx), input)),
  history: protectedProcedure.input(historyInput).query(({ ctx, input }) => ctx.services.chat.history(input)),
  onMessage: protectedProcedure.input(onMessageInput).subscription(async function* ({ ctx, input, signal }) {
    const lastEventId = input?.lastEventId ?? null;
    const push = ctx.pushLane?.claim(lastEventId) ?? null;
    const stream = ctx.services.chat.stream({ lastEventId, signal: signalOf(signal), push });
    for await (const message of stream) yield tracked(message.id, message);
  }),
  typing: protectedProcedure.input(typingInput).mutation(({ ctx, input }) => ctx.services.presence.setTyping(userOf(ctx), input.typing)),
  onTyping: protectedProcedure.subscription(({ ctx, signal }) => ctx.services.presence.typing(ctx.user.userId, signalOf(signal))),
  onPresence: protectedProcedure.subscription(({ ctx, signal }) => ctx.services.presence.presence(signalOf(signal))),
} satisfies TRPCRouterRecord;
