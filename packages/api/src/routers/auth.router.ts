import type { TRPCRouterRecord } from '@trpc/server';
import { signupInput } from '../auth/password-policy';
import { credentialsInput } from '../schemas/auth.schema';
import { protectedProcedure, publicProcedure } from '../trpc';

export const authRouter = {
  signup: publicProcedure.input(signupInput).mutation(({ ctx, input }) => ctx.services.auth.signup(input, ctx.ip)),
  login: publicProcedure.input(credentialsInput).mutation(({ ctx, input }) => ctx.services.auth.login(input, ctx.ip)),
  me: protectedProcedure.query(({ ctx }) => ctx.services.auth.me(ctx.user.userId)),
  refresh: protectedProcedure.mutation(({ ctx }) => ctx.services.auth.refresh(ctx.user.userId)),
  logout: protectedProcedure.mutation(({ ctx }) => ctx.services.auth.logout(ctx.user)),
} satisfies TRPCRouterRecord;
