import { useId, useState } from 'react';
import { type RouterOutputs, trpc } from '../api/trpc';
import { adminErrorText } from './admin-errors';

type AdminUser = RouterOutputs['admin']['users']['users'][number];

const MUTES = [
  { minutes: 10, label: '10 minutes' },
  { minutes: 60, label: '1 hour' },
  { minutes: 24 * 60, label: '1 day' },
  { minutes: 7 * 24 * 60, label: '1 week' },
];

const shortTime = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });

/** Search users; ban, unban, mute; owners also change roles. */
export function UsersPanel({ role, myName }: { role: 'owner' | 'admin'; myName: string }) {
  const ids = useId();
  const [query, setQuery] = useState('');
  const users = trpc.admin.users.useQuery({ query: query.trim() }, { placeholderData: (previous) => previous, refetchOnMount: 'always' });
  return (
    <div className="admin-section">
      <div className="account-field">
        <label htmlFor={`${ids}-search`}>Find a user</label>
        <input id={`${ids}-search`} type="search" value={query} placeholder="Name" autoComplete="off" onChange={(e) => setQuery(e.target.value)} />
      </div>
      {users.error && <p className="field-error">{adminErrorText(users.error)}</p>}
      <ul className="admin-list" aria-label="Users" aria-busy={users.isFetching}>
        {users.data?.users.map((user) => (
          <UserRow key={user.id} user={user} role={role} isMe={user.username === myName} />
        ))}
      </ul>
      {users.data && users.data.users.length === 0 && <p className="muted">Nobody matches “{query}”.</p>}
      {users.data?.nextAfter && <p className="muted small">More users match; type more of the name.</p>}
    </div>
  );
}

function UserRow({ user, role, isMe }: { user: AdminUser; role: 'owner' | 'admin'; isMe: boolean }) {
  const ids = useId();
  const utils = trpc.useUtils();
  const [banning, setBanning] = useState(false);
  const [reason, setReason] = useState('');
  const [purge, setPurge] = useState(false);
  const [muteFor, setMuteFor] = useState(MUTES[1]!.minutes);
  const [error, setError] = useState<string | null>(null);
  const settle = {
    onSuccess: () => {
      setError(null);
      setBanning(false);
      setReason('');
      setPurge(false);
      void utils.admin.users.invalidate();
      void utils.admin.auditLog.invalidate();
    },
    onError: (e: unknown) => setError(adminErrorText(e)),
  };
  const ban = trpc.admin.ban.useMutation(settle);
  const unban = trpc.admin.unban.useMutation(settle);
  const mute = trpc.admin.mute.useMutation(settle);
  const setRole = trpc.admin.setRole.useMutation(settle);
  const busy = ban.isPending || unban.isPending || mute.isPending || setRole.isPending;
  // The server decides; this only hides buttons that would be refused.
  const mayAct = !isMe && (user.role === 'member' || role === 'owner');

  return (
    <li className="admin-row">
      <div className="admin-row-main">
        <span className="admin-name">{user.username}</span>
        <span className={`badge admin-role admin-role-${user.role}`}>{user.role}</span>
        {user.banned && <span className="badge admin-status-banned">banned{user.banned.reason ? `: ${user.banned.reason}` : ''}</span>}
        {user.mutedUntil && <span className="badge admin-status-muted">muted until {shortTime(user.mutedUntil)}</span>}
        {isMe && <span className="muted small">you</span>}
      </div>
      {mayAct && (
        <div className="admin-row-actions">
          {role === 'owner' && (
            <label className="admin-inline">
              <span className="sr-only">Role of {user.username}</span>
              <select value={user.role} disabled={busy} onChange={(e) => setRole.mutate({ userId: user.id, role: e.target.value as AdminUser['role'] })}>
                <option value="member">member</option>
                <option value="admin">admin</option>
                <option value="owner">owner</option>
              </select>
            </label>
          )}
          {user.mutedUntil ? (
            <button type="button" className="btn btn-secondary btn-small" disabled={busy} onClick={() => mute.mutate({ userId: user.id, minutes: 0 })}>
              Unmute
            </button>
          ) : (
            <span className="admin-inline">
              <label>
                <span className="sr-only">Mute {user.username} for</span>
                <select value={muteFor} disabled={busy} onChange={(e) => setMuteFor(Number(e.target.value))}>
                  {MUTES.map((m) => (
                    <option key={m.minutes} value={m.minutes}>
                      {m.label}
                    </option>
                  ))}
                </select>
              </label>
              <button type="button" className="btn btn-secondary btn-small" disabled={busy} onClick={() => mute.mutate({ userId: user.id, minutes: muteFor })}>
                Mute
              </button>
            </span>
          )}
          {user.banned ? (
            <button type="button" className="btn btn-secondary btn-small" disabled={busy} onClick={() => unban.mutate({ userId: user.id })}>
              Unban
            </button>
          ) : (
            !banning && (
              <button type="button" className="btn btn-secondary btn-small admin-danger" disabled={busy} onClick={() => setBanning(true)}>
                Ban…
              </button>
            )
          )}
        </div>
      )}
      {banning && (
        <form
          className="admin-ban-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (!reason.trim()) return setError('Say why (the audit log keeps it).');
            ban.mutate({ userId: user.id, reason, ...(purge ? { purge: true } : {}) });
          }}
        >
          <div className="account-field">
            <label htmlFor={`${ids}-reason`}>Why ban {user.username}? They are logged out everywhere{purge ? '' : '; their messages stay'}.</label>
            <input id={`${ids}-reason`} autoFocus value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
          </div>
          <label className="admin-inline">
            <input type="checkbox" checked={purge} onChange={(e) => setPurge(e.target.checked)} /> Also delete all their messages (shown as removed by a moderator)
          </label>
          <div className="account-dialog-actions">
            <button type="button" className="btn btn-ghost btn-small" onClick={() => setBanning(false)}>
              Cancel
            </button>
            <button type="submit" className="btn btn-primary btn-small" disabled={busy}>
              {ban.isPending ? 'Banning…' : `Ban ${user.username}`}
            </button>
          </div>
        </form>
      )}
      {error && (
        <p className="field-error small" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}
