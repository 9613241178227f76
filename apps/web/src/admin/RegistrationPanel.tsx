import { useId, useState } from 'react';
import { type RouterOutputs, trpc } from '../api/trpc';
import { adminErrorText } from './admin-errors';

type Mode = RouterOutputs['admin']['registration']['mode'];
type Invite = RouterOutputs['admin']['invites'][number];

const MODES: { mode: Mode; label: string; hint: string }[] = [
  { mode: 'open', label: 'Open', hint: 'Anyone who reaches this site can sign up.' },
  { mode: 'invite', label: 'Invite only', hint: 'Sign-up needs an invite link from an admin.' },
  { mode: 'closed', label: 'Closed', hint: 'Nobody can sign up; existing accounts still log in.' },
];

const shortTime = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });

/** Who may sign up, and the invites for mode `invite`. */
export function RegistrationPanel() {
  const ids = useId();
  const utils = trpc.useUtils();
  const registration = trpc.admin.registration.useQuery();
  // Others sign up with these invites meanwhile: read again whenever the panel is shown.
  const invites = trpc.admin.invites.useQuery(undefined, { refetchOnMount: 'always' });
  const [error, setError] = useState<string | null>(null);
  const [uses, setUses] = useState(1);
  const [hours, setHours] = useState(168);
  const [created, setCreated] = useState<Invite | null>(null);
  const refresh = () => {
    setError(null);
    void utils.admin.registration.invalidate();
    void utils.admin.invites.invalidate();
    void utils.admin.auditLog.invalidate();
  };
  const setMode = trpc.admin.setRegistration.useMutation({ onSuccess: refresh, onError: (e) => setError(adminErrorText(e)) });
  const create = trpc.admin.createInvite.useMutation({
    onSuccess: (invite) => {
      setCreated(invite);
      refresh();
    },
    onError: (e) => setError(adminErrorText(e)),
  });
  const revoke = trpc.admin.revokeInvite.useMutation({ onSuccess: refresh, onError: (e) => setError(adminErrorText(e)) });
  const pinned = registration.data?.source === 'env';
  // The choice shows at once; a refusal puts the stored mode back.
  const shownMode = setMode.isPending ? setMode.variables.mode : registration.data?.mode;

  return (
    <div className="admin-section">
      <fieldset className="admin-modes" disabled={pinned || !registration.data}>
        <legend>Who may sign up</legend>
        {MODES.map((m) => (
          <label key={m.mode} className="admin-mode">
            <input type="radio" name={`${ids}-mode`} value={m.mode} checked={shownMode === m.mode} onChange={() => setMode.mutate({ mode: m.mode })} />
            <span>
              <strong>{m.label}</strong> <span className="muted small">{m.hint}</span>
            </span>
          </label>
        ))}
        {pinned && <p className="muted small">Set by REGISTRATION_MODE on the server, which wins over this screen; change it there.</p>}
      </fieldset>

      <form
        className="admin-invite-form"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ uses, expiresInHours: hours });
        }}
      >
        <h3>New invite</h3>
        <div className="admin-inline-fields">
          <div className="account-field">
            <label htmlFor={`${ids}-uses`}>Sign-ups</label>
            <input id={`${ids}-uses`} type="number" min={1} max={1000} value={uses} onChange={(e) => setUses(Math.max(1, Number(e.target.value) || 1))} />
          </div>
          <div className="account-field">
            <label htmlFor={`${ids}-hours`}>Valid for (hours)</label>
            <input id={`${ids}-hours`} type="number" min={1} max={2160} value={hours} onChange={(e) => setHours(Math.max(1, Number(e.target.value) || 1))} />
          </div>
          <button type="submit" className="btn btn-primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create invite'}
          </button>
        </div>
        {created && (
          <p role="status" className="admin-created">
            Invite link: <code>{created.url}</code>{' '}
            <button type="button" className="btn btn-ghost btn-small" onClick={() => void navigator.clipboard?.writeText(created.url)}>
              Copy
            </button>
          </p>
        )}
      </form>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}

      <h3>Invites</h3>
      {invites.data?.length === 0 && <p className="muted">No invites yet.</p>}
      <ul className="admin-list" aria-label="Invites">
        {invites.data?.map((invite) => (
          <li key={invite.code} className="admin-row">
            <div className="admin-row-main">
              <code className="admin-code">{invite.code}</code>
              <span className={`badge admin-invite-${invite.state.replace(' ', '-')}`}>{invite.state}</span>
              <span className="muted small">
                {invite.used}/{invite.uses} used · by {invite.createdBy.username} · until {shortTime(invite.expiresAt)}
              </span>
            </div>
            {invite.usedBy.length > 0 && <p className="small">Used by {invite.usedBy.map((u) => u.user.username).join(', ')}</p>}
            {invite.state === 'active' && (
              <div className="admin-row-actions">
                <button type="button" className="btn btn-secondary btn-small" disabled={revoke.isPending} onClick={() => revoke.mutate({ code: invite.code })}>
                  Revoke
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
