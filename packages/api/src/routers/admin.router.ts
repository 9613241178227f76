import type { TRPCRouterRecord } from '@trpc/server';
import {
  adminUsersInput,
  auditLogInput,
  banInput,
  createInviteInput,
  muteInput,
  resolveReportInput,
  revokeInviteInput,
  setRegistrationInput,
  setRoleInput,
  unbanInput,
} from '../schemas/admin.schema';
import { adminProcedure } from '../trpc';

/** Server administration: admins and owners only (docs/decisions/110-113). */
export const adminRouter = {
  users: adminProcedure.input(adminUsersInput).query(({ ctx, input }) => ctx.services.admin.users(input)),
  setRole: adminProcedure.input(setRoleInput).mutation(({ ctx, input }) => ctx.services.admin.setRole(ctx.admin, input)),
  ban: adminProcedure.input(banInput).mutation(({ ctx, input }) => ctx.services.admin.ban(ctx.admin, input)),
  unban: adminProcedure.input(unbanInput).mutation(({ ctx, input }) => ctx.services.admin.unban(ctx.admin, input)),
  mute: adminProcedure.input(muteInput).mutation(({ ctx, input }) => ctx.services.admin.mute(ctx.admin, input)),
  registration: adminProcedure.query(({ ctx }) => ctx.services.registration.registration()),
  setRegistration: adminProcedure.input(setRegistrationInput).mutation(({ ctx, input }) => ctx.services.registration.setRegistration(ctx.admin, input.mode)),
  createInvite: adminProcedure.input(createInviteInput).mutation(({ ctx, input }) => ctx.services.registration.createInvite(ctx.admin, input, ctx.webOrigin ?? null)),
  invites: adminProcedure.query(({ ctx }) => ctx.services.registration.invites(ctx.webOrigin ?? null)),
  revokeInvite: adminProcedure.input(revokeInviteInput).mutation(({ ctx, input }) => ctx.services.registration.revokeInvite(ctx.admin, input.code, ctx.webOrigin ?? null)),
  reports: adminProcedure.query(({ ctx }) => ctx.services.reports.open()),
  resolveReport: adminProcedure.input(resolveReportInput).mutation(({ ctx, input }) => ctx.services.reports.resolve(ctx.admin, input)),
  auditLog: adminProcedure.input(auditLogInput).query(({ ctx, input }) => ctx.services.admin.auditLog(input)),
} satisfies TRPCRouterRecord;
