import { z } from 'zod';
import { userIdSchema } from './ids';
import { normalizeText } from './text';

// Browser-safe: the admin screen validates with these.

export const ROLES = ['owner', 'admin', 'member'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const REGISTRATION_MODES = ['open', 'invite', 'closed'] as const;
export const registrationModeSchema = z.enum(REGISTRATION_MODES);
export type RegistrationMode = z.infer<typeof registrationModeSchema>;

export const REASON_MAX = 500;
const reasonSchema = z
  .string()
  .max(REASON_MAX * 4)
  .transform(normalizeText)
  .pipe(z.string().trim().min(1, 'Say why (the audit log keeps it)').max(REASON_MAX, `A reason must be at most ${REASON_MAX} characters`));

/** Sign-up codes are URL-safe, so they travel in a link (`/?invite=CODE`). */
export const inviteCodeSchema = z
  .string()
  .trim()
  .min(1, 'Enter the invite code')
  .max(64, 'That invite code is too long; copy it again from the link')
  .regex(/^[A-Za-z0-9_-]+$/, 'That is not an invite code; copy it again from the link');

export const INVITE_USES_MAX = 1000;
export const INVITE_HOURS_MAX = 24 * 90;
/** A year: longer is a ban, not a mute. */
export const MUTE_MINUTES_MAX = 365 * 24 * 60;

/** `purge`: also delete every message of theirs, as a moderator would (events sent, text gone). */
export const banInput = z.object({ userId: userIdSchema, reason: reasonSchema, purge: z.boolean().optional() }).strict();
export const unbanInput = z.object({ userId: userIdSchema, reason: reasonSchema.optional() }).strict();
export const muteInput = z
  .object({
    userId: userIdSchema,
    /** 0 lifts the mute. */
    minutes: z.number().int('Minutes must be a whole number').min(0, 'Minutes cannot be negative').max(MUTE_MINUTES_MAX, `At most ${MUTE_MINUTES_MAX} minutes (a year)`),
    reason: reasonSchema.optional(),
  })
  .strict();
export const setRoleInput = z.object({ userId: userIdSchema, role: roleSchema }).strict();
export const setRegistrationInput = z.object({ mode: registrationModeSchema }).strict();
export const createInviteInput = z
  .object({
    uses: z.number().int().min(1, 'An invite allows at least one sign-up').max(INVITE_USES_MAX, `At most ${INVITE_USES_MAX} uses`).default(1),
    expiresInHours: z.number().int().min(1, 'An invite lasts at least an hour').max(INVITE_HOURS_MAX, `At most ${INVITE_HOURS_MAX} hours (90 days)`).default(7 * 24),
  })
  .strict()
  .default({ uses: 1, expiresInHours: 7 * 24 });
export const revokeInviteInput = z.object({ code: inviteCodeSchema }).strict();
export const auditLogInput = z
  .object({
    before: z.string().regex(/^[1-9][0-9]{0,18}$/, 'Expected an audit entry id').optional(),
    limit: z.number().int().min(1).max(100).default(50),
  })
  .strict()
  .default({ limit: 50 });
export const adminUsersInput = z
  .object({
    query: z.string().max(32 * 4).transform(normalizeText).pipe(z.string().trim().max(32)).default(''),
    /** The last username of the previous page (`nextAfter`). */
    after: z.string().max(32 * 4).optional(),
    limit: z.number().int().min(1).max(100).default(50),
  })
  .strict()
  .default({ query: '', limit: 50 });
export const resolveReportInput = z
  .object({
    reportId: z.string().regex(/^[1-9][0-9]{0,18}$/, 'Expected a report id'),
    /** `delete` removes the message as a moderator would; either closes every open report of it. */
    action: z.enum(['dismiss', 'delete']),
  })
  .strict();
