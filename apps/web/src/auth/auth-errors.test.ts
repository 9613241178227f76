import { describe, expect, it } from 'vitest';
import { authErrorsFrom } from './auth-errors';

const trpcError = (code: string, extra: object = {}) => ({ message: 'msg', data: { code, ...extra } });

describe('authErrorsFrom', () => {
  it('puts a taken username next to the username field', () => {
    expect(authErrorsFrom({ data: { code: 'CONFLICT' } }, 'signup')).toEqual({ username: 'That username is taken; try another one.' });
  });

  it("shows the server's reason for an unavailable username (too similar, reserved)", () => {
    const message = 'The username "aIice" is too similar to an existing name; pick another one';
    expect(authErrorsFrom({ message, data: { code: 'CONFLICT' } }, 'signup')).toEqual({ username: message });
  });

  it('puts wrong credentials next to the password on login', () => {
    expect(authErrorsFrom(trpcError('UNAUTHORIZED'), 'login').password).toMatch(/wrong username or password/i);
  });

  it('shows rate limits for the whole form', () => {
    expect(authErrorsFrom(trpcError('TOO_MANY_REQUESTS'), 'login').form).toMatch(/too many attempts/i);
    expect(authErrorsFrom(trpcError('TOO_MANY_REQUESTS', { retryAfterSeconds: 12.2 }), 'login').form).toBe('Too many attempts. Try again in 13 s.');
  });

  it('maps zod issues to their fields', () => {
    const err = trpcError('BAD_REQUEST', {
      zodIssues: [
        { path: ['username'], message: 'Username must be at least 3 characters', code: 'too_small' },
        { path: ['password'], message: 'Password must be at least 8 characters', code: 'custom' },
      ],
    });
    expect(authErrorsFrom(err, 'signup')).toEqual({
      username: 'Username must be at least 3 characters',
      password: 'Password must be at least 8 characters',
    });
  });

  it('explains a network failure', () => {
    expect(authErrorsFrom(new TypeError('Failed to fetch'), 'login').form).toMatch(/cannot reach the server/i);
  });
});
