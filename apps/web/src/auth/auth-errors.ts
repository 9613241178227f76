import { refusalSentence } from '@chat/client/core';

export type AuthField = 'username' | 'password';
export type AuthMode = 'login' | 'signup';

export interface AuthErrors {
  username?: string;
  password?: string;
  /** Not tied to one field: rate limits, network trouble. */
  form?: string;
}

interface ErrorLike {
  message?: unknown;
  data?: { code?: unknown; zodIssues?: unknown; retryAfterSeconds?: unknown } | null;
}

/** Turns a tRPC refusal of auth.signup/auth.login into messages placed next to the right field. */
export function authErrorsFrom(error: unknown, mode: AuthMode): AuthErrors {
  const e = (error ?? {}) as ErrorLike;
  const code = typeof e.data?.code === 'string' ? e.data.code : null;
  switch (code) {
    case 'CONFLICT':
      // The server says which: taken, too similar to an existing name, or reserved.
      return { username: typeof e.message === 'string' && e.message ? e.message : 'That username is taken; try another one.' };
    case 'UNAUTHORIZED':
      return mode === 'login' ? { password: 'Wrong username or password.' } : { form: 'The server refused the request; please try again.' };
    case 'TOO_MANY_REQUESTS': {
      const wait = typeof e.data?.retryAfterSeconds === 'number' ? Math.ceil(e.data.retryAfterSeconds) : null;
      return { form: wait ? `Too many attempts. Try again in ${wait} s.` : 'Too many attempts. Wait a minute, then try again.' };
    }
    case 'BAD_REQUEST': {
      const out: AuthErrors = {};
      const issues = Array.isArray(e.data?.zodIssues) ? (e.data.zodIssues as { path?: unknown; message?: unknown }[]) : [];
      for (const issue of issues) {
        const field: unknown = Array.isArray(issue.path) ? issue.path[0] : null;
        const message = typeof issue.message === 'string' ? issue.message : 'Invalid value';
        if ((field === 'username' || field === 'password') && !out[field]) out[field] = message;
        else out.form ??= message;
      }
      if (!out.username && !out.password && !out.form) out.form = typeof e.message === 'string' && e.message ? e.message : 'Check the form and try again.';
      return out;
    }
    case null:
      return { form: 'Cannot reach the server. Check your connection and try again.' };
    default:
      // A ban (with its reason), an outage, a failure: the shared sentence for it (@chat/client/core).
      return { form: refusalSentence(error) };
  }
}
