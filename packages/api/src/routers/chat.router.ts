import { tracked, type TRPCRouterRecord } from '@trpc/server';
import { historyInput, onMessageInput, sendMessageInput } from '../schemas/chat.schema';
import { protectedProcedure } from '../trpc';

export const chatRouter = {
  send: protectedProcedure.input(sendMessageInput).mutation(({ ctx, input }) => ctx.services.chat.send({ id: ctx.user.userId }, input)),
  history: protectedProcedure.input(historyInput).query(({ ctx, input }) => ctx.services.chat.history(input)),
  onMessage: protectedProcedure.input(onMessageInput).subscription(async function* ({ ctx, input, signal }) {
    const stream = ctx.services.chat.stream({ lastEventId: input?.lastEventId ?? null, signal: signal ?? new AbortController().signal });
    for await (const message of stream) yield tracked(message.id, message);
  }),
} satisfies TRPCRouterRecord;
