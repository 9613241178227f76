import type { TRPCRouterRecord } from '@trpc/server';
import { searchUsersInput } from '../schemas/user.schema';
import { protectedProcedure } from '../trpc';

export const userRouter = {
  search: protectedProcedure.input(searchUsersInput).query(({ ctx, input }) => ctx.services.users.search(input)),
} satisfies TRPCRouterRecord;
