import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { trpc } from '../api/trpc';
import { checkPasswordChange, type PasswordChangeErrors, passwordChangeErrorsFrom } from './password-change-errors';

/** A modal form: the current password, the new one twice. Other sessions end on success; this one stays. */
export function ChangePasswordDialog({ onClose }: { onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const ids = useId();
  const [fields, setFields] = useState({ currentPassword: '', newPassword: '', repeat: '' });
  const [errors, setErrors] = useState<PasswordChangeErrors>({});
  const [done, setDone] = useState<string | null>(null);
  const change = trpc.auth.changePassword.useMutation();

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = checkPasswordChange(fields);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    change.mutate(
      { currentPassword: fields.currentPassword, newPassword: fields.newPassword },
      {
        onSuccess: ({ endedSessions }) =>
          setDone(endedSessions === 0 ? 'Password changed.' : `Password changed. ${endedSessions} other session${endedSessions === 1 ? ' was' : 's were'} logged out.`),
        onError: (error) => setErrors(passwordChangeErrorsFrom(error)),
      },
    );
  };

  const field = (name: 'currentPassword' | 'newPassword' | 'repeat', label: string, autoComplete: string) => {
    const error = name === 'repeat' ? undefined : errors[name];
    const id = `${ids}-${name}`;
    return (
      <div className="account-field">
        <label htmlFor={id}>{label}</label>
        <input
          id={id}
          type="password"
          autoComplete={autoComplete}
          value={fields[name]}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => setFields((f) => ({ ...f, [name]: e.target.value }))}
        />
        {error && (
          <span id={`${id}-error`} className="field-error">
            {error}
          </span>
        )}
      </div>
    );
  };

  return (
    <dialog ref={dialog} className="account-dialog glass" aria-labelledby="change-password-title" onClose={onClose}>
      <h2 id="change-password-title">Change password</h2>
      {done ? (
        <>
          <p role="status">{done}</p>
          <div className="account-dialog-actions">
            <button type="button" className="btn btn-primary" onClick={() => dialog.current?.close()}>
              Done
            </button>
          </div>
        </>
      ) : (
        <form onSubmit={submit} noValidate>
          {field('currentPassword', 'Current password', 'current-password')}
          {field('newPassword', 'New password', 'new-password')}
          {field('repeat', 'New password again', 'new-password')}
          <p className="muted small">Every other device signed in to this account will be logged out.</p>
          {errors.form && <p className="field-error">{errors.form}</p>}
          <div className="account-dialog-actions">
            <button type="button" className="btn btn-ghost" onClick={() => dialog.current?.close()}>
              Cancel
            </button>
            <button type="submit" className="btn btn-primary" disabled={change.isPending}>
              {change.isPending ? 'Changing…' : 'Change password'}
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}
