import type { TRPCRouterRecord } from '@trpc/server';
import { credentialsInput } from '../schemas/auth.schema';
import { protectedProcedure, publicProcedure } from '../trpc';

export const authRouter = {
  signup: publicProcedure.input(credentialsInput).mutation(({ ctx, input }) => ctx.services.auth.signup(input)),
  login: publicProcedure.input(credentialsInput).mutation(({ ctx, input }) => ctx.services.auth.login(input)),
  me: protectedProcedure.query(({ ctx }) => ctx.services.auth.me(ctx.user.userId)),
} satisfies TRPCRouterRecord;
