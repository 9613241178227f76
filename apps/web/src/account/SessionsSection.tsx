import { trpc } from '../api/trpc';
import { formatFull } from '../text/format-time';

/** The account's live sessions, this one first-marked; any other can be signed out (its tabs close at once). */
export function SessionsSection({ onLogoutEverywhere }: { onLogoutEverywhere(): void }) {
  const sessions = trpc.auth.sessions.useQuery(undefined, { staleTime: 0 });
  const revoke = trpc.auth.revokeSession.useMutation({ onSettled: () => void sessions.refetch() });
  if (sessions.isPending) return <p className="muted small">Loading sessions…</p>;
  if (sessions.isError) return <p className="field-error">Could not load your sessions; try again.</p>;
  const list = [...sessions.data].sort((a, b) => Number(b.current) - Number(a.current));
  return (
    <>
      <ul className="session-list">
        {list.map((s) => (
          <li key={s.id} className="session-row">
            <div>
              <strong>{s.device}</strong>
              {s.current && <span className="badge">this device</span>}
              <p className="field-hint">
                Signed in {formatFull(s.createdAt)} · last active {formatFull(s.lastUsedAt)}
              </p>
            </div>
            {!s.current && (
              <button type="button" className="btn btn-secondary btn-small" disabled={revoke.isPending} onClick={() => revoke.mutate({ sessionId: s.id })} aria-label={`Sign out ${s.device}, signed in ${formatFull(s.createdAt)}`}>
                Sign out
              </button>
            )}
          </li>
        ))}
      </ul>
      {revoke.error && <p className="field-error">{revoke.error.message}</p>}
      <button type="button" className="btn btn-ghost" onClick={onLogoutEverywhere}>
        Log out everywhere
      </button>
    </>
  );
}
