import type { TRPCRouterRecord } from '@trpc/server';
import { threadHistoryInput, threadListInput, threadMarkReadInput, threadReplyInput, threadRootInput } from '../schemas/thread.schema';
import { protectedProcedure } from '../trpc';

// Threads (docs/decisions/145-threads.md); their events arrive on chat.onEvent.
export const threadRouter = {
  reply: protectedProcedure.input(threadReplyInput).mutation(({ ctx, input }) => ctx.services.threads.reply({ id: ctx.user.userId }, input)),
  history: protectedProcedure.input(threadHistoryInput).query(({ ctx, input }) => ctx.services.threads.history({ id: ctx.user.userId }, input)),
  follow: protectedProcedure.input(threadRootInput).mutation(({ ctx, input }) => ctx.services.threads.setFollowing({ id: ctx.user.userId }, input, true)),
  unfollow: protectedProcedure.input(threadRootInput).mutation(({ ctx, input }) => ctx.services.threads.setFollowing({ id: ctx.user.userId }, input, false)),
  markRead: protectedProcedure.input(threadMarkReadInput).mutation(({ ctx, input }) => ctx.services.threads.markRead({ id: ctx.user.userId }, input)),
  list: protectedProcedure.input(threadListInput).query(({ ctx, input }) => ctx.services.threads.list({ id: ctx.user.userId }, input)),
} satisfies TRPCRouterRecord;
