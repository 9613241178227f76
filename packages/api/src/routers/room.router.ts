import type { TRPCRouterRecord } from '@trpc/server';
import { browseRoomsInput, convertGroupInput, createRoomInput, markReadInput, openDirectInput, openGroupInput, roomInput, roomMemberInput, updateRoomInput } from '../schemas/room.schema';
import { protectedProcedure } from '../trpc';

const userOf = (ctx: { user: { userId: string; username: string } }) => ({ id: ctx.user.userId, username: ctx.user.username });

export const roomRouter = {
  list: protectedProcedure.query(({ ctx }) => ctx.services.rooms.list(userOf(ctx))),
  create: protectedProcedure.input(createRoomInput).mutation(({ ctx, input }) => ctx.services.rooms.create(userOf(ctx), input)),
  update: protectedProcedure.input(updateRoomInput).mutation(({ ctx, input }) => ctx.services.rooms.update(userOf(ctx), input)),
  browse: protectedProcedure.input(browseRoomsInput).query(({ ctx, input }) => ctx.services.rooms.browse(userOf(ctx), input)),
  join: protectedProcedure.input(roomInput).mutation(({ ctx, input }) => ctx.services.rooms.join(userOf(ctx), input.roomId)),
  leave: protectedProcedure.input(roomInput).mutation(({ ctx, input }) => ctx.services.rooms.leave(userOf(ctx), input.roomId)),
  invite: protectedProcedure.input(roomMemberInput).mutation(({ ctx, input }) => ctx.services.rooms.invite(userOf(ctx), input)),
  remove: protectedProcedure.input(roomMemberInput).mutation(({ ctx, input }) => ctx.services.rooms.remove(userOf(ctx), input)),
  openDirect: protectedProcedure.input(openDirectInput).mutation(({ ctx, input }) => ctx.services.rooms.openDirect(userOf(ctx), input)),
  /** The group DM of the caller and 2–7 others, made on first use (docs/decisions/153-group-dms.md). */
  openGroup: protectedProcedure.input(openGroupInput).mutation(({ ctx, input }) => ctx.services.rooms.openGroup(userOf(ctx), input)),
  /** A member names a group DM, which becomes a private room. */
  convertGroup: protectedProcedure.input(convertGroupInput).mutation(({ ctx, input }) => ctx.services.rooms.convertGroup(userOf(ctx), input)),
  markRead: protectedProcedure.input(markReadInput).mutation(({ ctx, input }) => ctx.services.rooms.markRead(userOf(ctx), input)),
  members: protectedProcedure.input(roomInput).query(({ ctx, input }) => ctx.services.rooms.members(userOf(ctx), input.roomId)),
} satisfies TRPCRouterRecord;
