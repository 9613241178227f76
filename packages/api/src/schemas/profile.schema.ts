import { z } from 'zod';
import { timeZoneSchema } from './notification.schema';
import { userIdSchema } from './ids';
import { charCount } from './text';

// Profiles (issue 25 "People", docs/decisions/155-profiles.md): a display name beside the unique
// username, a short status with an emoji and an expiry, a time zone. The web's settings form
// validates with these same schemas.

export const DISPLAY_NAME_MAX = 64;
export const STATUS_TEXT_MAX = 100;
/** A status may be set to expire at most this far ahead (longer: "never"). */
export const STATUS_MAX_MS = 366 * 24 * 3600 * 1000;

// Characters that show as nothing or reorder what follows: a name is one short line shown beside
// other people's, so there is nothing to confine them to; they are refused. Emoji's own joiner
// (between two pictographs) and variation selector 16 stay.
const HIDDEN = /[\u00AD\u061C\u115F\u1160\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFEFF\uFFA0\u{E0000}-\u{E007F}]/u;
// Marks that show nothing of their own (combining grapheme joiner, Khmer inherent vowels, Mongolian free
// variation selectors, variation selectors 1-15), by code point: in a regular expression's class they would
// read as combined with their neighbour.
const HIDDEN_MARK = (c: string) => {
  const p = c.codePointAt(0)!;
  return p === 0x034f || p === 0x17b4 || p === 0x17b5 || (p >= 0x180b && p <= 0x180f) || (p >= 0xfe00 && p <= 0xfe0e);
};
const EMOJI_JOINER = /(?<=\p{Extended_Pictographic}\uFE0F?)\u200D(?=\p{Extended_Pictographic})/gu;
// Zalgo: no script needs more than three marks stacked on one letter.
const STACKED_MARKS = /[\p{Mn}\p{Me}]{4,}/u;

/** NFC, one line: control characters and runs of white space become one space, trimmed. */
export const oneLine = (text: string) =>
  text
    .normalize('NFC')
    .replace(/[\p{Cc}\s]+/gu, ' ')
    .trim();

/** Why a line of profile text cannot be shown as typed, or null. */
export function profileTextProblem(text: string, what: string): string | null {
  if (HIDDEN.test(text.replace(EMOJI_JOINER, '')) || [...text].some(HIDDEN_MARK)) return `${what} may not contain invisible or direction-changing characters`;
  if (STACKED_MARKS.test(text)) return `${what} has too many accents on one letter`;
  return null;
}

const profileLine = (what: string, max: number) =>
  z
    .string()
    // A cheap bound before normalising: 10,000 characters are refused without looking at them.
    .max(max * 8, `${what} must be at most ${max} characters`)
    .transform(oneLine)
    .refine((t) => charCount(t) <= max, `${what} must be at most ${max} characters`)
    .superRefine((t, ctx) => {
      const problem = profileTextProblem(t, what);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

/** '' clears it (the username shows). */
export const displayNameSchema = profileLine('Display name', DISPLAY_NAME_MAX).refine((t) => t === '' || /[\p{L}\p{N}]/u.test(t), 'Display name must contain at least one letter or digit');

export const statusInputSchema = z
  .object({
    text: profileLine('Status', STATUS_TEXT_MAX),
    /** One emoji of the reaction set (checked by the server), or null. */
    emoji: z.string().min(1).max(32).nullable(),
    /** When it stops showing; null: until cleared. */
    expiresAt: z.iso
      .datetime({ offset: true })
      .refine((t) => Date.parse(t) > Date.now(), 'That time has already passed; pick a later one')
      .refine((t) => Date.parse(t) - Date.now() <= STATUS_MAX_MS, 'A status can last a year at most')
      .nullable(),
  })
  .strict()
  .refine((s) => s.text !== '' || s.emoji !== null, 'A status needs a text or an emoji');

/** Each field absent: unchanged; null (or '' for the name): cleared. */
export const updateProfileInput = z
  .object({
    displayName: displayNameSchema.nullable().optional(),
    status: statusInputSchema.nullable().optional(),
    timeZone: timeZoneSchema.nullable().optional(),
  })
  .strict();
export type UpdateProfileInput = z.input<typeof updateProfileInput>;

export const userProfileInput = z.object({ userId: userIdSchema }).strict();

/** auth.revokeSession: one of the caller's own sessions (auth.sessions lists them). */
export const revokeSessionInput = z.object({ sessionId: z.string().uuid('Expected a session id').transform((id) => id.toLowerCase()) }).strict();
