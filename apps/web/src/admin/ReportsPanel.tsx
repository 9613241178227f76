import { confineBidiControls } from '@chat/api/schemas';
import { useState } from 'react';
import { type RouterOutputs, trpc } from '../api/trpc';
import { adminErrorText } from './admin-errors';

type Report = RouterOutputs['admin']['reports']['reports'][number];
type Message = Report['message'];

const when = (iso: string) => new Date(iso).toLocaleString();
// Shown as typed (no Markdown); bidi controls kept inside the line, as in the chat.
const textOf = (m: Message) => (m.deleted ? (m.deleted.by === 'moderator' ? 'Removed by a moderator' : 'Message deleted') : confineBidiControls(m.text));

/** Open reports, oldest first, each with its message in context; dismiss or delete. */
export function ReportsPanel() {
  const reports = trpc.admin.reports.useQuery(undefined, { refetchOnMount: 'always' });
  return (
    <div className="admin-section">
      {reports.error && <p className="field-error">{adminErrorText(reports.error)}</p>}
      {reports.data?.reports.length === 0 && <p className="muted">No open reports.</p>}
      {!!reports.data?.reports.length && (
        <p className="muted small" role="status">
          {reports.data.reports.length} open {reports.data.reports.length === 1 ? 'report' : 'reports'}, oldest first.
        </p>
      )}
      <ol className="admin-list" aria-label="Open reports" aria-busy={reports.isFetching}>
        {reports.data?.reports.map((r) => (
          <ReportRow key={r.reportId} report={r} />
        ))}
      </ol>
    </div>
  );
}

function ContextLine({ message, reported = false }: { message: Message; reported?: boolean }) {
  return (
    <li className={reported ? 'admin-report-message' : 'admin-report-context muted small'} aria-current={reported || undefined}>
      <span className="admin-name">{message.author.username}</span> <time dateTime={message.createdAt}>{when(message.createdAt)}</time>
      <p className="admin-report-text">{textOf(message)}</p>
    </li>
  );
}

function ReportRow({ report }: { report: Report }) {
  const utils = trpc.useUtils();
  const [error, setError] = useState<string | null>(null);
  // Deleting is for everyone and cannot be undone from here: asked once more, in place.
  const [confirming, setConfirming] = useState(false);
  const resolve = trpc.admin.resolveReport.useMutation({
    onSuccess: () => {
      void utils.admin.reports.invalidate();
      void utils.admin.auditLog.invalidate();
    },
    onError: (e) => setError(adminErrorText(e)),
  });
  // A group DM has no name until it is converted to a private room (decision 153).
  const room = report.room.kind === 'dm' ? 'a direct message' : report.room.name ? `#${report.room.name}` : 'a group conversation';
  return (
    <li className="admin-row admin-report" aria-label={`Report of ${report.message.author.username}’s message in ${room}`}>
      <div className="admin-row-main">
        <span>
          {report.reports.length} report{report.reports.length === 1 ? '' : 's'} of <span className="admin-name">{report.message.author.username}</span> in {room}
        </span>
      </div>
      <ol className="admin-report-thread" aria-label="The message in context">
        {report.context.before.map((m) => (
          <ContextLine key={m.id} message={m} />
        ))}
        <ContextLine message={report.message} reported />
        {report.context.after.map((m) => (
          <ContextLine key={m.id} message={m} />
        ))}
      </ol>
      <ul className="admin-report-reasons" aria-label="Reporters">
        {report.reports.map((x) => (
          <li key={x.id} className="small">
            <span className="admin-name">{x.reporter.username}</span>: “{confineBidiControls(x.reason)}” <time className="muted" dateTime={x.at}>{when(x.at)}</time>
          </li>
        ))}
      </ul>
      <div className="admin-row-actions">
        <button type="button" className="btn btn-secondary btn-small" disabled={resolve.isPending} onClick={() => resolve.mutate({ reportId: report.reportId, action: 'dismiss' })}>
          Dismiss
        </button>
        {!report.message.deleted && !confirming && (
          <button type="button" className="btn btn-secondary btn-small admin-danger" disabled={resolve.isPending} onClick={() => setConfirming(true)}>
            Delete message…
          </button>
        )}
      </div>
      {confirming && !report.message.deleted && (
        <div className="admin-row-actions" role="group" aria-label="Confirm deletion">
          <p className="small">
            Delete {report.message.author.username}’s message for everyone in {room}? It shows as removed by a moderator, and the audit log keeps the report.
          </p>
          <button type="button" className="btn btn-secondary btn-small admin-danger" disabled={resolve.isPending} onClick={() => resolve.mutate({ reportId: report.reportId, action: 'delete' })}>
            {resolve.isPending ? 'Deleting…' : 'Delete for everyone'}
          </button>
          <button type="button" className="btn btn-ghost btn-small" autoFocus onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      )}
      {error && (
        <p className="field-error small" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}
