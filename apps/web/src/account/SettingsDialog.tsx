import { lazy, Suspense, useEffect, useId, useRef, useState } from 'react';
import type { Notifications } from '../notifications/use-notifications';
import { ChangePasswordDialog } from './ChangePasswordDialog';
import { DeleteAccountDialog } from './DeleteAccountDialog';
import type { RouterOutputs } from '../api/trpc';
import { ProfileSection } from './ProfileSection';
import { QuietHoursSection } from './QuietHoursSection';
import { SessionsSection } from './SessionsSection';
import { ThemeSection } from './ThemeSection';
import './Settings.css';

const AvatarDialog = lazy(() => import('./AvatarDialog').then((m) => ({ default: m.AvatarDialog })));

interface Props {
  me: RouterOutputs['auth']['me'] | undefined;
  notifications: Notifications;
  onLogoutEverywhere(): void;
  onClose(): void;
}

/** Everything about the account in one place (issue 25): a dialog on a desktop, a full-screen sheet on a phone. */
export function SettingsDialog({ me, notifications, onLogoutEverywhere, onClose }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [open, setOpen] = useState<'password' | 'delete' | 'picture' | null>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  return (
    <dialog ref={dialog} className="settings-dialog" aria-labelledby={titleId} onClose={onClose}>
      <header className="settings-header">
        <h2 id={titleId}>Settings</h2>
        <button type="button" className="icon-button" aria-label="Close settings" onClick={() => dialog.current?.close()}>
          ×
        </button>
      </header>
      <div className="settings-body">
        <section className="settings-section" aria-labelledby={`${titleId}-profile`}>
          <h3 id={`${titleId}-profile`}>Profile</h3>
          {me ? <ProfileSection me={me} /> : <p className="muted">Loading…</p>}
          <button type="button" className="btn btn-secondary" disabled={!me} onClick={() => setOpen('picture')}>
            Profile picture…
          </button>
        </section>
        <section className="settings-section" aria-labelledby={`${titleId}-theme`}>
          <h3 id={`${titleId}-theme`}>Theme</h3>
          <ThemeSection />
        </section>
        <section className="settings-section" aria-labelledby={`${titleId}-notifications`}>
          <h3 id={`${titleId}-notifications`}>Notifications</h3>
          {notifications.permission === 'unsupported' ? (
            <p className="muted small">This browser cannot show notifications.</p>
          ) : (
            <label className="settings-check">
              <input
                type="checkbox"
                checked={notifications.allowed}
                disabled={notifications.permission === 'denied'}
                onChange={() => (notifications.allowed ? notifications.turnOff() : void notifications.turnOn())}
              />
              Notify me of mentions and direct messages on this device
            </label>
          )}
          {notifications.permission === 'denied' && <p className="muted small">Blocked in this browser’s site settings.</p>}
          <QuietHoursSection />
          <p className="muted small">Each room’s level and mute are under Notifications in the room’s header.</p>
        </section>
        <section className="settings-section" aria-labelledby={`${titleId}-sessions`}>
          <h3 id={`${titleId}-sessions`}>Sessions and devices</h3>
          <SessionsSection onLogoutEverywhere={onLogoutEverywhere} />
        </section>
        <section className="settings-section" aria-labelledby={`${titleId}-account`}>
          <h3 id={`${titleId}-account`}>Password and account</h3>
          <div className="settings-row">
            <button type="button" className="btn btn-secondary" onClick={() => setOpen('password')}>
              Change password…
            </button>
            <button type="button" className="btn btn-ghost account-delete" onClick={() => setOpen('delete')}>
              Delete account…
            </button>
          </div>
        </section>
      </div>
      {open === 'password' && <ChangePasswordDialog onClose={() => setOpen(null)} />}
      {open === 'delete' && <DeleteAccountDialog onClose={() => setOpen(null)} />}
      {open === 'picture' && me && (
        <Suspense fallback={null}>
          <AvatarDialog me={me} onClose={() => setOpen(null)} />
        </Suspense>
      )}
    </dialog>
  );
}
