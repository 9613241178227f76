import { useState } from 'react';
import { trpc } from '../api/trpc';
import { adminErrorText } from './admin-errors';
import { auditSentence } from './audit-text';

const PAGE = 25;

/** The audit log, newest first, a page at a time. */
export function AuditPanel() {
  // The `before` of each page shown so far: going back pops one.
  const [pages, setPages] = useState<(string | undefined)[]>([undefined]);
  const before = pages.at(-1);
  const log = trpc.admin.auditLog.useQuery(before === undefined ? { limit: PAGE } : { before, limit: PAGE }, { placeholderData: (previous) => previous, refetchOnMount: 'always' });
  return (
    <div className="admin-section">
      {log.error && <p className="field-error">{adminErrorText(log.error)}</p>}
      {log.data?.entries.length === 0 && <p className="muted">Nothing yet.</p>}
      <ol className="admin-list" aria-label="Audit log" aria-busy={log.isFetching}>
        {log.data?.entries.map((entry) => (
          <li key={entry.id} className="admin-row">
            <div className="admin-row-main">
              <time className="muted small" dateTime={entry.at}>
                {new Date(entry.at).toLocaleString()}
              </time>
              <span>{auditSentence(entry)}</span>
            </div>
            {entry.reason && <p className="small admin-reason">“{entry.reason}”</p>}
          </li>
        ))}
      </ol>
      <div className="account-dialog-actions">
        <button type="button" className="btn btn-ghost btn-small" disabled={pages.length === 1} onClick={() => setPages((p) => p.slice(0, -1))}>
          Newer
        </button>
        <button
          type="button"
          className="btn btn-secondary btn-small"
          disabled={!log.data?.nextBefore}
          onClick={() => log.data?.nextBefore && setPages((p) => [...p, log.data!.nextBefore!])}
        >
          Older
        </button>
      </div>
    </div>
  );
}
