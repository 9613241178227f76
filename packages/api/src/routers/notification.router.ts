import type { TRPCRouterRecord } from '@trpc/server';
import { setNotificationScheduleInput, setRoomNotificationInput } from '../schemas/notification.schema';
import { protectedProcedure } from '../trpc';

const userOf = (ctx: { user: { userId: string } }) => ({ id: ctx.user.userId });

/** Per-room levels and mutes, and the do-not-disturb schedule (docs/decisions/149). */
export const notificationRouter = {
  get: protectedProcedure.query(({ ctx }) => ctx.services.notifications.get(userOf(ctx))),
  setRoom: protectedProcedure.input(setRoomNotificationInput).mutation(({ ctx, input }) => ctx.services.notifications.setRoom(userOf(ctx), input)),
  setSchedule: protectedProcedure.input(setNotificationScheduleInput).mutation(({ ctx, input }) => ctx.services.notifications.setSchedule(userOf(ctx), input)),
} satisfies TRPCRouterRecord;
