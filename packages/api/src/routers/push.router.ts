import type { TRPCRouterRecord } from '@trpc/server';
import { pushFocusInput, pushSubscribeInput, pushUnsubscribeInput } from '../schemas/notification.schema';
import { protectedProcedure } from '../trpc';

/** Web Push for this device (docs/decisions/148) and the focus report that keeps it quiet (docs/decisions/150). */
export const pushRouter = {
  publicKey: protectedProcedure.query(({ ctx }) => ctx.services.push.publicKey()),
  subscribe: protectedProcedure.input(pushSubscribeInput).mutation(({ ctx, input }) => ctx.services.push.subscribe(ctx.user, input)),
  unsubscribe: protectedProcedure.input(pushUnsubscribeInput).mutation(({ ctx, input }) => ctx.services.push.unsubscribe(ctx.user, input)),
  focus: protectedProcedure.input(pushFocusInput).mutation(({ ctx, input }) => ctx.services.push.focus(ctx.user, input)),
} satisfies TRPCRouterRecord;
