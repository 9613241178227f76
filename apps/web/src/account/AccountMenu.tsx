import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { trpc } from '../api/trpc';
import type { Notifications } from '../notifications/use-notifications';
import { Avatar } from '../ui/Avatar';
import './AccountMenu.css';

// Only owners and admins open it, and not on every page load: its own chunk (decision 151).
// Opened now and then: their own chunks (decision 164), as the Settings dialog that also opens them.
const ChangePasswordDialog = lazy(() => import('./ChangePasswordDialog').then((m) => ({ default: m.ChangePasswordDialog })));
const DeleteAccountDialog = lazy(() => import('./DeleteAccountDialog').then((m) => ({ default: m.DeleteAccountDialog })));
const AdminDialog = lazy(() => import('../admin/AdminDialog').then((m) => ({ default: m.AdminDialog })));
// It uploads through tus, which the chat chunk leaves out until a file is added.
const AvatarDialog = lazy(() => import('./AvatarDialog').then((m) => ({ default: m.AvatarDialog })));
// Opened now and then, not on every page load: its own chunk (decision 151).
const SettingsDialog = lazy(() => import('./SettingsDialog').then((m) => ({ default: m.SettingsDialog })));

interface Props {
  username: string;
  onLogout(): void;
  /** Every session of the account was ended, this one included. */
  onLogoutEverywhere(): Promise<void>;
  notifications: Notifications;
}

/** The signed-in user's chip, opening a small menu: picture, change password, notifications, log out everywhere, log out, delete the account. */
export function AccountMenu({ username, onLogout, onLogoutEverywhere, notifications }: Props) {
  const [open, setOpen] = useState(false);
  const [changing, setChanging] = useState(false);
  const [failed, setFailed] = useState(false);
  const [administering, setAdministering] = useState(false);
  const roleQuery = trpc.auth.role.useQuery(undefined, { staleTime: 60_000 });
  const role = roleQuery.data?.role;
  const root = useRef<HTMLDivElement>(null);
  const [endingAll, setEndingAll] = useState(false);
  const [editingPicture, setEditingPicture] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [settingsOpen, setSettingsOpen] = useState(false);
  // The current picture: auth.me reads it (the stored session's copy is the login's).
  const me = trpc.auth.me.useQuery(undefined, { staleTime: 60_000 }).data;

  useEffect(() => {
    if (!open) return;
    const outside = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open]);

  return (
    <div
      className="account-menu"
      ref={root}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation();
          setOpen(false);
        }
      }}
    >
      <button
        type="button"
        className="me-chip account-chip"
        title={`Signed in as ${username}`}
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => {
          // Asked again on each opening: a promotion since the page loaded shows "Administration…" now, not after a reload.
          if (!open) void roleQuery.refetch();
          setOpen((o) => !o);
        }}
      >
        <Avatar name={username} user={me} size="sm" />
        <span className="me-name">{username}</span>
      </button>
      {open && (
        <div className="account-panel glass" role="menu">
          <button type="button" role="menuitem" className="btn btn-ghost" onClick={() => (setOpen(false), setSettingsOpen(true))}>
            Settings…
          </button>
          <button type="button" role="menuitem" className="btn btn-ghost" disabled={!me} onClick={() => (setOpen(false), setEditingPicture(true))}>
            Profile picture…
          </button>
          <button
            type="button"
            role="menuitem"
            className="btn btn-ghost"
            onClick={() => {
              setOpen(false);
              setChanging(true);
            }}
          >
            Change password…
          </button>
          {(role === 'admin' || role === 'owner') && (
            <button type="button" role="menuitem" className="btn btn-ghost" onClick={() => (setOpen(false), setAdministering(true))}>
              Administration…
            </button>
          )}
          {notifications.permission !== 'unsupported' && (
            <button
              type="button"
              role="menuitemcheckbox"
              aria-checked={notifications.allowed}
              className="btn btn-ghost"
              disabled={notifications.permission === 'denied'}
              title={notifications.permission === 'denied' ? 'Blocked in this browser’s site settings' : undefined}
              onClick={() => (notifications.allowed ? notifications.turnOff() : void notifications.turnOn())}
            >
              {notifications.allowed ? 'Turn off notifications' : 'Turn on notifications'}
            </button>
          )}
          <button
            type="button"
            role="menuitem"
            className="btn btn-ghost"
            disabled={endingAll}
            onClick={() => {
              setEndingAll(true);
              setFailed(false);
              onLogoutEverywhere().catch(() => {
                setEndingAll(false);
                setFailed(true);
              });
            }}
          >
            {endingAll ? 'Logging out…' : 'Log out everywhere'}
          </button>
          <button type="button" role="menuitem" className="btn btn-ghost" onClick={onLogout}>
            Log out
          </button>
          <button type="button" role="menuitem" className="btn btn-ghost account-delete" onClick={() => (setOpen(false), setDeleting(true))}>
            Delete account…
          </button>
          {failed && <p className="field-error small">Could not reach the server; try again.</p>}
        </div>
      )}
      {changing && (
        <Suspense fallback={null}>
          <ChangePasswordDialog onClose={() => setChanging(false)} />
        </Suspense>
      )}
      {editingPicture && me && (
        <Suspense fallback={null}>
          <AvatarDialog me={me} onClose={() => setEditingPicture(false)} />
        </Suspense>
      )}
      {deleting && (
        <Suspense fallback={null}>
          <DeleteAccountDialog onClose={() => setDeleting(false)} />
        </Suspense>
      )}
      {settingsOpen && (
        <Suspense fallback={null}>
          <SettingsDialog me={me} notifications={notifications} onLogoutEverywhere={() => void onLogoutEverywhere().catch(() => setFailed(true))} onClose={() => setSettingsOpen(false)} />
        </Suspense>
      )}
      {administering && (role === 'admin' || role === 'owner') && (
        <Suspense fallback={null}>
          <AdminDialog role={role} myName={username} onClose={() => setAdministering(false)} />
        </Suspense>
      )}
    </div>
  );
}
