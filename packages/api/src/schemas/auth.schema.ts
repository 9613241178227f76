import { z } from 'zod';
import { charCount } from './text';

export const USERNAME_MIN = 3;
export const USERNAME_MAX = 32;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

export const usernameSchema = z
  .string()
  .max(USERNAME_MAX * 4, `Username must be at most ${USERNAME_MAX} characters`)
  .transform((u) => u.normalize('NFC'))
  .pipe(
    z
      .string()
      .min(USERNAME_MIN, `Username must be at least ${USERNAME_MIN} characters`)
      .max(USERNAME_MAX, `Username must be at most ${USERNAME_MAX} characters`)
      .regex(/^[A-Za-z0-9_.-]+$/, 'Username may only use letters, digits, "_", "." and "-"'),
  );

export const passwordSchema = z
  .string()
  // A cheap bound before counting code points: 128 code points never exceed 512 UTF-16 units.
  .max(PASSWORD_MAX * 4, `Password must be at most ${PASSWORD_MAX} characters`)
  // NFC, so the same password typed on another keyboard or OS hashes the same.
  .transform((p) => p.normalize('NFC'))
  .refine((p) => charCount(p) >= PASSWORD_MIN, `Password must be at least ${PASSWORD_MIN} characters`)
  .refine((p) => charCount(p) <= PASSWORD_MAX, `Password must be at most ${PASSWORD_MAX} characters`);

export const credentialsInput = z.object({ username: usernameSchema, password: passwordSchema }).strict();
export type CredentialsInput = z.infer<typeof credentialsInput>;

export const changePasswordInput = z
  .object({
    // Checked against the stored hash, not the policy: a password set under older rules still works.
    currentPassword: z.string().min(1, 'Enter your current password').max(PASSWORD_MAX * 4),
    newPassword: passwordSchema,
  })
  .strict();
export type ChangePasswordInput = z.infer<typeof changePasswordInput>;

/** auth.deleteAccount: the current password, as for a password change (docs/decisions/144-account-deletion.md). */
export const deleteAccountInput = z
  .object({
    password: z.string().min(1, 'Enter your password').max(PASSWORD_MAX * 4),
  })
  .strict();
export type DeleteAccountInput = z.infer<typeof deleteAccountInput>;
