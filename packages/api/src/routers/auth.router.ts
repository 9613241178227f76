import type { TRPCRouterRecord } from '@trpc/server';
import { signupInput } from '../auth/password-policy';
import { changePasswordInput, credentialsInput, deleteAccountInput } from '../schemas/auth.schema';
import { revokeSessionInput } from '../schemas/profile.schema';
import { protectedProcedure, publicProcedure } from '../trpc';

export const authRouter = {
  signup: publicProcedure.input(signupInput).mutation(({ ctx, input }) => ctx.services.auth.signup(input, ctx.ip, ctx.userAgent)),
  login: publicProcedure.input(credentialsInput).mutation(({ ctx, input }) => ctx.services.auth.login(input, ctx.ip, ctx.userAgent)),
  me: protectedProcedure.query(({ ctx }) => ctx.services.auth.me(ctx.user.userId)),
  /** 'owner' | 'admin' | 'member': whether to offer the admin screen. */
  role: protectedProcedure.query(({ ctx }) => ctx.services.auth.role(ctx.user.userId)),
  refresh: protectedProcedure.mutation(({ ctx }) => ctx.services.auth.refresh(ctx.user)),
  logout: protectedProcedure.mutation(({ ctx }) => ctx.services.auth.logout(ctx.user)),
  logoutEverywhere: protectedProcedure.mutation(({ ctx }) => ctx.services.auth.logoutEverywhere(ctx.user)),
  /** The caller's live sessions with their device and last use (docs/decisions/156-sessions-and-devices.md). */
  sessions: protectedProcedure.query(({ ctx }) => ctx.services.auth.sessions(ctx.user)),
  /** Ends one of the caller's sessions as its logout would: its tokens and its sockets on every instance. */
  revokeSession: protectedProcedure.input(revokeSessionInput).mutation(({ ctx, input }) => ctx.services.auth.revokeSession(ctx.user, input)),
  /** Needs the password; refused for the server's last owner. Ends every session; messages and files are deleted (docs/decisions/144). */
  deleteAccount: protectedProcedure.input(deleteAccountInput).mutation(({ ctx, input }) => ctx.services.auth.deleteAccount(ctx.user, input, ctx.ip)),
  changePassword: protectedProcedure.input(changePasswordInput).mutation(({ ctx, input }) => ctx.services.auth.changePassword(ctx.user, input, ctx.ip)),
} satisfies TRPCRouterRecord;
