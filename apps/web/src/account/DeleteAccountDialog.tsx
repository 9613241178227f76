import { refusalSentence } from '@chat/client/core';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { trpc } from '../api/trpc';
import { forgetDrafts } from '../composer/draft-store';
import { forgetOffline } from '../offline/offline-store';
import { forgetOutbox } from '../outbox/session-outbox';
import { useSession } from '../session/SessionContext';

/** What deleting the account does, in the words the dialog shows before asking for the password (docs/decisions/144). */
export const DELETE_ACCOUNT_CONSEQUENCES =
  'Every message you sent is deleted for everyone, with every file you shared and your picture; every device you are signed in on is logged out; you leave every room. Your name stays reserved, shown as “deleted user”. This cannot be undone.';

/** Asks for the password and deletes the account for good; then this browser forgets the account's unsent work. */
export function DeleteAccountDialog({ onClose }: { onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const ids = useId();
  const { session, signOut } = useSession();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const remove = trpc.auth.deleteAccount.useMutation();

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!password) return setError('Enter your password.');
    setError(null);
    remove.mutate(
      { password },
      {
        onSuccess: () => {
          if (session) {
            forgetOutbox(session.user.id);
            forgetDrafts(session.user.id);
            forgetOffline(session.user.id);
          }
          signOut('Your account was deleted.');
        },
        onError: (failure) => setError(refusalSentence(failure)),
      },
    );
  };

  return (
    <dialog ref={dialog} className="account-dialog glass" aria-labelledby={`${ids}-title`} aria-describedby={`${ids}-what`} onClose={onClose}>
      <h2 id={`${ids}-title`}>Delete your account</h2>
      <form onSubmit={submit} noValidate>
        <p id={`${ids}-what`}>{DELETE_ACCOUNT_CONSEQUENCES}</p>
        <div className="account-field">
          <label htmlFor={`${ids}-password`}>Your password</label>
          <input
            id={`${ids}-password`}
            type="password"
            autoComplete="current-password"
            value={password}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${ids}-error` : undefined}
            onChange={(e) => setPassword(e.target.value)}
          />
          {error && (
            <span id={`${ids}-error`} className="field-error" role="alert">
              {error}
            </span>
          )}
        </div>
        <div className="account-dialog-actions">
          <button type="button" className="btn btn-ghost" onClick={() => dialog.current?.close()}>
            Keep my account
          </button>
          <button type="submit" className="btn btn-danger" disabled={remove.isPending}>
            {remove.isPending ? 'Deleting…' : 'Delete my account and messages'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
