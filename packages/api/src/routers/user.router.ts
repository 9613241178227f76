import type { TRPCRouterRecord } from '@trpc/server';
import { searchUsersInput, setAvatarInput } from '../schemas/user.schema';
import { protectedProcedure } from '../trpc';

export const userRouter = {
  search: protectedProcedure.input(searchUsersInput).query(({ ctx, input }) => ctx.services.users.search(input)),
  /** The caller's picture from an avatar upload (docs/decisions/143-avatars.md); every room showing them hears user.updated. */
  setAvatar: protectedProcedure.input(setAvatarInput).mutation(({ ctx, input }) => ctx.services.users.setAvatar(ctx.user.userId, input)),
  removeAvatar: protectedProcedure.mutation(({ ctx }) => ctx.services.users.removeAvatar(ctx.user.userId)),
  /** A ticket that reads every avatar for an hour: `${avatarPath(id, avatar)}?ticket=...`. */
  avatarTicket: protectedProcedure.query(({ ctx }) => ctx.services.users.avatarTicket(ctx.user.userId)),
} satisfies TRPCRouterRecord;
