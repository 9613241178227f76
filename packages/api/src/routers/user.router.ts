import type { TRPCRouterRecord } from '@trpc/server';
import { updateProfileInput, userProfileInput } from '../schemas/profile.schema';
import { searchUsersInput, setAvatarInput } from '../schemas/user.schema';
import { protectedProcedure } from '../trpc';

export const userRouter = {
  search: protectedProcedure.input(searchUsersInput).query(({ ctx, input }) => ctx.services.users.search(input)),
  /** The caller's picture from an avatar upload (docs/decisions/143-avatars.md); every room showing them hears user.updated. */
  setAvatar: protectedProcedure.input(setAvatarInput).mutation(({ ctx, input }) => ctx.services.users.setAvatar(ctx.user.userId, input)),
  removeAvatar: protectedProcedure.mutation(({ ctx }) => ctx.services.users.removeAvatar(ctx.user.userId)),
  /** The caller's display name, status and time zone (docs/decisions/155-profiles.md): each absent field unchanged, null cleared. */
  updateProfile: protectedProcedure.input(updateProfileInput).mutation(({ ctx, input }) => ctx.services.users.updateProfile(ctx.user.userId, input)),
  /** Someone's profile as their card shows it: display name, status (not once expired), time zone. */
  profile: protectedProcedure.input(userProfileInput).query(({ ctx, input }) => ctx.services.users.profile(input)),
  /** A ticket that reads every avatar for an hour: `${avatarPath(id, avatar)}?ticket=...`. */
  avatarTicket: protectedProcedure.query(({ ctx }) => ctx.services.users.avatarTicket(ctx.user.userId)),
} satisfies TRPCRouterRecord;
