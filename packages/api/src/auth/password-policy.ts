import { dictionary } from '@zxcvbn-ts/language-common';
import type { z } from 'zod';
import { inviteCodeSchema } from '../schemas/admin.schema';
import { credentialsInput, PASSWORD_MIN } from '../schemas/auth.schema';
import { passwordPatternProblem } from './password-patterns';

export { KEYBOARD_PASSWORD_MESSAGE, REPETITIVE_PASSWORD_MESSAGE, SEQUENTIAL_PASSWORD_MESSAGE } from './password-patterns';

// zxcvbn-ts's ranked list of ~49,000 leaked passwords (lower case); shorter ones fail the length rule anyway.
const COMMON = new Set(dictionary['passwords-common'].filter((p) => p.length >= PASSWORD_MIN));

export const COMMON_PASSWORD_MESSAGE = 'This password is on a list of the most common passwords; pick one that is less guessable';
export const USERNAME_IN_PASSWORD_MESSAGE = 'The password must not contain your username';

/**
 * Why a new password is refused, or null. For sign-up and password changes only: existing users
 * with weak passwords must still be able to log in. Case-insensitive, as guessers try every case.
 * The web's sign-up form runs this same function (apps/web/src/auth/use-password-policy.ts).
 */
export function passwordProblem(password: string, username: string): string | null {
  const lower = password.normalize('NFC').toLowerCase();
  const name = username.normalize('NFC').toLowerCase();
  if (name && lower.includes(name)) return USERNAME_IN_PASSWORD_MESSAGE;
  if (COMMON.has(lower)) return COMMON_PASSWORD_MESSAGE;
  return passwordPatternProblem(lower);
}

/**
 * auth.signup's input: the same fields as login, plus the policy, reported on the password field,
 * and the invite code that registration mode `invite` asks for.
 */
export const signupInput = credentialsInput.extend({ inviteCode: inviteCodeSchema.optional() }).superRefine(({ username, password }, ctx) => {
  const problem = passwordProblem(password, username);
  if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
});
export type SignupInput = z.infer<typeof signupInput>;
