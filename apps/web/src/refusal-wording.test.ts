import { DOMAIN_ERROR_CODES } from '@chat/api/schemas';
import { TRPC_CODES } from '@chat/client/core';
import { describe, expect, it } from 'vitest';
import { passwordChangeErrorsFrom } from './account/password-change-errors';
import { adminErrorText } from './admin/admin-errors';
import { authErrorsFrom } from './auth/auth-errors';
import { sendErrorMessage } from './composer/send-errors';
import { messageActionError } from './messages/message-action-errors';
import { roomErrorMessage } from './rooms/room-errors';

const refusal = (code: string, message = '', extra: object = {}) => Object.assign(new Error(message), { data: { code, ...extra } });
const firstOf = (errors: Record<string, string | undefined>) => Object.values(errors).find(Boolean) ?? '';

/** Each place the web shows a refusal, with its own wording around the shared sentence. */
const ACTIONS: Record<string, (error: unknown) => string> = {
  send: sendErrorMessage,
  'room action': roomErrorMessage,
  'message action': messageActionError,
  admin: adminErrorText,
  login: (e) => firstOf({ ...authErrorsFrom(e, 'login') }),
  signup: (e) => firstOf({ ...authErrorsFrom(e, 'signup') }),
  'password change': (e) => firstOf({ ...passwordChangeErrorsFrom(e) }),
};

describe('every refusal the server can send reads as a sentence in every place the web shows one', () => {
  it.each(Object.entries(ACTIONS))('%s', (_, wording) => {
    for (const code of TRPC_CODES) {
      const text = wording(refusal(code));
      expect(text, code).toMatch(/\w.*[.!?)]$/);
      expect(text, code).not.toMatch(/server error|something went wrong;/i);
    }
    for (const code of DOMAIN_ERROR_CODES) expect(wording(refusal(code, 'Only an owner can change roles')).length, code).toBeGreaterThan(3);
    expect(wording(new TypeError('Failed to fetch'))).toMatch(/connection|reach the server/);
  });

  it('a muted send says the mute, not "server error"', () => {
    const muted = refusal('FORBIDDEN', 'A moderator muted you until 2026-12-06 10:00 UTC (5 min left): you can read but not send');
    expect(sendErrorMessage(muted)).toBe('Not sent: A moderator muted you until 2026-12-06 10:00 UTC (5 min left): you can read but not send.');
  });

  it('a ban says it is a ban, with its reason, at login and on any action', () => {
    const banned = refusal('FORBIDDEN', 'This account is banned (spam links); contact…', { banned: { reason: 'spam links' } });
    const sentence = 'You were banned from this server: Spam links. If you think this is a mistake, contact the server’s admins.';
    expect(authErrorsFrom(banned, 'login')).toEqual({ form: sentence });
    expect(roomErrorMessage(banned)).toBe(sentence);
  });
});
