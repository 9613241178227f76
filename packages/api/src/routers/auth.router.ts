import type { TRPCRouterRecord } from '@trpc/server';
import { signupInput } from '../auth/password-policy';
import { changePasswordInput, credentialsInput, deleteAccountInput } from '../schemas/auth.schema';
import { protectedProcedure, publicProcedure } from '../trpc';

export const authRouter = {
  signup: publicProcedure.input(signupInput).mutation(({ ctx, input }) => ctx.services.auth.signup(input, ctx.ip)),
  login: publicProcedure.input(credentialsInput).mutation(({ ctx, input }) => ctx.services.auth.login(input, ctx.ip)),
  me: protectedProcedure.query(({ ctx }) => ctx.services.auth.me(ctx.user.userId)),
  /** 'owner' | 'admin' | 'member': whether to offer the admin screen. */
  role: protectedProcedure.query(({ ctx }) => ctx.services.auth.role(ctx.user.userId)),
  refresh: protectedProcedure.mutation(({ ctx }) => ctx.services.auth.refresh(ctx.user)),
  logout: protectedProcedure.mutation(({ ctx }) => ctx.services.auth.logout(ctx.user)),
  logoutEverywhere: protectedProcedure.mutation(({ ctx }) => ctx.services.auth.logoutEverywhere(ctx.user)),
  /** Needs the password; refused for the server's last owner. Ends every session; messages and files are deleted (docs/decisions/144). */
  deleteAccount: protectedProcedure.input(deleteAccountInput).mutation(({ ctx, input }) => ctx.services.auth.deleteAccount(ctx.user, input, ctx.ip)),
  changePassword: protectedProcedure.input(changePasswordInput).mutation(({ ctx, input }) => ctx.services.auth.changePassword(ctx.user, input, ctx.ip)),
} satisfies TRPCRouterRecord;
