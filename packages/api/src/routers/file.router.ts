import type { TRPCRouterRecord } from '@trpc/server';
import { fileTicketInput } from '../schemas/file.schema';
import { protectedProcedure } from '../trpc';

const userOf = (ctx: { user: { userId: string; username: string } }) => ({ id: ctx.user.userId, username: ctx.user.username });

/** Files (issue 24): uploads and downloads are HTTP endpoints (/files/...); these are what a client asks around them. */
export const fileRouter = {
  /** A short-lived URL (a path on this server) that reads one attachment as the caller, for `<img>` and links. */
  ticket: protectedProcedure.input(fileTicketInput).query(({ ctx, input }) => ctx.services.files.ticket(userOf(ctx), input)),
  /** The size limit, the caller's quota and use, and the upload rate. */
  limits: protectedProcedure.query(({ ctx }) => ctx.services.files.limits(userOf(ctx))),
} satisfies TRPCRouterRecord;
