import { passwordSchema } from '@chat/api/schemas';
import { refusalSentence } from '@chat/client/core';
import { trpcErrorCode } from '../api/query-client';

export interface PasswordChangeErrors {
  currentPassword?: string;
  newPassword?: string;
  form?: string;
}

/** What the form says before submitting: the same schema the server checks newPassword with. */
export function checkPasswordChange(input: { currentPassword: string; newPassword: string; repeat: string }): PasswordChangeErrors {
  const errors: PasswordChangeErrors = {};
  if (!input.currentPassword) errors.currentPassword = 'Enter your current password.';
  const parsed = passwordSchema.safeParse(input.newPassword);
  if (!parsed.success) errors.newPassword = parsed.error.issues[0]?.message ?? 'Choose another password.';
  else if (input.repeat !== input.newPassword) errors.newPassword = 'The two new passwords differ.';
  return errors;
}

/** Turns a refusal of auth.changePassword into messages next to the right field. */
export function passwordChangeErrorsFrom(error: unknown): PasswordChangeErrors {
  const e = error as { message?: unknown; data?: { retryAfterSeconds?: unknown } | null } | null;
  switch (trpcErrorCode(error)) {
    case 'FORBIDDEN':
      return { currentPassword: 'That is not your current password.' };
    case 'BAD_REQUEST':
      return { newPassword: typeof e?.message === 'string' && e.message ? e.message.replace(/^newPassword: /, '') : 'Choose another password.' };
    case 'TOO_MANY_REQUESTS': {
      const wait = typeof e?.data?.retryAfterSeconds === 'number' ? Math.ceil(e.data.retryAfterSeconds) : null;
      return { form: wait ? `Too many attempts. Try again in ${wait} s.` : 'Too many attempts. Wait a minute, then try again.' };
    }
    case null:
      return { form: 'Could not change the password; check your connection and try again.' };
    default:
      return { form: refusalSentence(error) };
  }
}
