import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { trpc } from '../api/trpc';
import { AuditPanel } from './AuditPanel';
import { RegistrationPanel } from './RegistrationPanel';
import { ReportsPanel } from './ReportsPanel';
import { UsersPanel } from './UsersPanel';
import './AdminDialog.css';

const TABS = [
  { id: 'users', label: 'Users' },
  { id: 'registration', label: 'Registration' },
  { id: 'reports', label: 'Reports' },
  { id: 'audit', label: 'Audit log' },
] as const;
type Tab = (typeof TABS)[number]['id'];

/** The admin screen: users (role, ban, mute), registration and invites, reports, the audit log. Admins and owners only. */
export function AdminDialog({ role, myName, onClose }: { role: 'owner' | 'admin'; myName: string; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const ids = useId();
  const [tab, setTab] = useState<Tab>('users');
  const tabs = useRef<Record<Tab, HTMLButtonElement | null>>({ users: null, registration: null, reports: null, audit: null });

  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  // The number of open reports on the Reports tab, whichever tab is shown; the Reports panel reads the same query.
  const openReports = trpc.admin.reports.useQuery(undefined, { refetchInterval: 30_000 }).data?.reports.length ?? 0;

  // Arrow keys move between tabs (WAI-ARIA tabs pattern, automatic activation).
  const onTabKey = (e: KeyboardEvent) => {
    const at = TABS.findIndex((t) => t.id === tab);
    const next = e.key === 'ArrowRight' ? at + 1 : e.key === 'ArrowLeft' ? at - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? TABS.length - 1 : null;
    if (next === null) return;
    e.preventDefault();
    const id = TABS[(next + TABS.length) % TABS.length]!.id;
    setTab(id);
    tabs.current[id]?.focus();
  };

  return (
    <dialog ref={dialog} className="admin-dialog glass" aria-labelledby={`${ids}-title`} onClose={onClose}>
      <header className="admin-header">
        <h2 id={`${ids}-title`}>Administration</h2>
        <button type="button" className="btn btn-ghost btn-small" onClick={() => dialog.current?.close()}>
          Close
        </button>
      </header>
      <div role="tablist" aria-label="Administration sections" className="admin-tabs" onKeyDown={onTabKey}>
        {TABS.map((t) => (
          <button
            key={t.id}
            ref={(el) => {
              tabs.current[t.id] = el;
            }}
            type="button"
            role="tab"
            id={`${ids}-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`${ids}-panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            className="admin-tab"
            onClick={() => setTab(t.id)}
          >
            {t.label}
            {t.id === 'reports' && openReports > 0 && (
              <span className="admin-tab-count">
                <span className="sr-only">, </span>
                {openReports}
                <span className="sr-only"> open</span>
              </span>
            )}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${ids}-panel-${tab}`} aria-labelledby={`${ids}-tab-${tab}`} className="admin-panel" tabIndex={0}>
        {tab === 'users' && <UsersPanel role={role} myName={myName} />}
        {tab === 'registration' && <RegistrationPanel />}
        {tab === 'reports' && <ReportsPanel />}
        {tab === 'audit' && <AuditPanel />}
      </div>
    </dialog>
  );
}
