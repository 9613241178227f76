import { passwordSchema, usernameSchema } from '@chat/api/schemas';
import { banOf } from '@chat/client/core';
import { type FormEvent, useId, useState } from 'react';
import { trpc } from '../api/trpc';
import { useSession } from '../session/SessionContext';
import { BrandMark } from '../ui/BrandMark';
import { authErrorsFrom, type AuthErrors, type AuthField, type AuthMode } from './auth-errors';
import { usePasswordPolicy } from './use-password-policy';
import './AuthScreen.css';

const schemas = { username: usernameSchema, password: passwordSchema };

/** The same zod schema the server runs, so the form refuses exactly what the server would. */
const validateField = (field: AuthField, value: string) => {
  const result = schemas[field].safeParse(value);
  return result.success ? undefined : result.error.issues[0]?.message;
};

export function AuthScreen() {
  const { signIn, notice, ban, banned } = useSession();
  // An invite link (`/?invite=CODE`, made by an admin) opens sign-up and sends its code along; not
  // for the account this browser last saw banned, which is shown its ban rather than a form for newcomers.
  const [inviteCode] = useState(() => new URLSearchParams(window.location.search).get('invite') || undefined);
  const [mode, setMode] = useState<AuthMode>(inviteCode && !ban ? 'signup' : 'login');
  const [values, setValues] = useState({ username: '', password: '' });
  const [touched, setTouched] = useState<Record<AuthField, boolean>>({ username: false, password: false });
  const [serverErrors, setServerErrors] = useState<AuthErrors>({});
  const [showPassword, setShowPassword] = useState(false);
  const ids = { username: useId(), password: useId(), form: useId() };

  const onSuccess = (auth: Parameters<typeof signIn>[0]) => signIn(auth);
  const onError = (error: unknown) => {
    const refusedBan = banOf(error);
    // Said once, at the top, and kept for this browser (SessionContext); not again under the form.
    if (refusedBan) banned({ username: values.username, reason: refusedBan.reason });
    else setServerErrors(authErrorsFrom(error, mode));
  };
  const login = trpc.auth.login.useMutation({ onSuccess, onError });
  const signup = trpc.auth.signup.useMutation({ onSuccess, onError });
  const busy = login.isPending || signup.isPending;
  const passwordProblem = usePasswordPolicy(mode === 'signup');

  const clientErrors: Record<AuthField, string | undefined> = {
    username: validateField('username', values.username),
    // Sign-up also runs the server's own policy (common passwords, patterns, the username inside), once it has loaded.
    password: validateField('password', values.password) ?? (mode === 'signup' ? (passwordProblem?.(values.password, values.username) ?? undefined) : undefined),
  };
  const errorFor = (field: AuthField) => serverErrors[field] ?? (touched[field] ? clientErrors[field] : undefined);

  const change = (field: AuthField, value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    setServerErrors((e) => ({ ...e, [field]: undefined, form: undefined }));
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setTouched({ username: true, password: true });
    if (clientErrors.username || clientErrors.password) {
      document.getElementById(clientErrors.username ? ids.username : ids.password)?.focus();
      return;
    }
    setServerErrors({});
    if (mode === 'login') login.mutate(values);
    else signup.mutate(inviteCode ? { ...values, inviteCode } : values);
  };

  const switchMode = (next: AuthMode) => {
    setMode(next);
    setServerErrors({});
    setTouched({ username: false, password: false });
  };

  const field = (name: AuthField, label: string, hint: string) => {
    const error = errorFor(name);
    const isPassword = name === 'password';
    return (
      <div className="auth-field">
        <label htmlFor={ids[name]}>{label}</label>
        <div className="auth-input-row">
          <input
            id={ids[name]}
            name={name}
            type={isPassword && !showPassword ? 'password' : 'text'}
            autoComplete={isPassword ? (mode === 'login' ? 'current-password' : 'new-password') : 'username'}
            autoCapitalize="none"
            autoFocus={name === 'username'}
            spellCheck={false}
            value={values[name]}
            onChange={(e) => change(name, e.target.value)}
            onBlur={() => setTouched((t) => ({ ...t, [name]: true }))}
            aria-invalid={error ? true : undefined}
            aria-describedby={`${ids[name]}-msg`}
          />
          {isPassword && (
            <button type="button" className="auth-reveal" onClick={() => setShowPassword((s) => !s)} aria-pressed={showPassword}>
              {showPassword ? 'Hide' : 'Show'}
            </button>
          )}
        </div>
        <p id={`${ids[name]}-msg`} className={error ? 'field-error' : 'field-hint'} role={error ? 'alert' : undefined}>
          {error ?? hint}
        </p>
      </div>
    );
  };

  return (
    <main className="auth-page">
      <section className="auth-card glass" aria-labelledby={`${ids.form}-title`}>
        <header className="auth-brand">
          <BrandMark size={44} />
          <div>
            <h1 id={`${ids.form}-title`}>Ember</h1>
            <p className="muted">Channels, private rooms and direct messages. Real time.</p>
          </div>
        </header>

        {notice && (
          <p className="auth-notice" role="alert">
            {notice}
          </p>
        )}
        {ban && inviteCode && mode === 'login' && <p className="muted small">Not {ban.username}? Choose Sign up to use your invite.</p>}

        <div className="auth-tabs" role="group" aria-label="Choose">
          <button type="button" aria-pressed={mode === 'login'} onClick={() => switchMode('login')}>
            Log in
          </button>
          <button type="button" aria-pressed={mode === 'signup'} onClick={() => switchMode('signup')}>
            Sign up
          </button>
        </div>

        <form onSubmit={submit} noValidate aria-describedby={serverErrors.form ? `${ids.form}-error` : undefined}>
          {field('username', 'Username', mode === 'signup' ? '3–32 letters, digits, “_”, “.” or “-”.' : 'The name you signed up with.')}
          {field('password', 'Password', mode === 'signup' ? 'At least 8 characters, not a common password or mostly a pattern (aaaa, abcd, qwer), not your username.' : '\u00a0')}
          {mode === 'signup' && inviteCode && <p className="muted small">You are signing up with an invite.</p>}
          {serverErrors.form && (
            <p id={`${ids.form}-error`} className="field-error auth-form-error" role="alert">
              {serverErrors.form}
            </p>
          )}
          <button type="submit" className="btn btn-primary auth-submit" disabled={busy} aria-busy={busy}>
            {busy && <span className="spinner" aria-hidden="true" />}
            {busy ? (mode === 'login' ? 'Logging in…' : 'Creating account…') : mode === 'login' ? 'Log in' : 'Create account'}
          </button>
        </form>
      </section>
    </main>
  );
}
