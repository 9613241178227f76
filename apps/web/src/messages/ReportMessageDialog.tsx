import { useId, useState } from 'react';
import { RoomDialog } from '../ui/RoomDialog';
import { messageActionError } from './message-action-errors';
import { FormFooter } from '../ui/FormFooter';

interface Props {
  author: string;
  onReport(reason: string): Promise<void>;
  onClose(): void;
}

/** Asks why, then sends the report to the server's admins (chat.report). */
export function ReportMessageDialog({ author, onReport, onClose }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [reason, setReason] = useState('');
  const ids = useId();
  return (
    <RoomDialog title={`Report ${author}’s message`} onClose={onClose}>
      {(close) =>
        done ? (
          <div>
            <p role="status">Thanks: the server’s admins will look at it.</p>
            <div className="room-dialog-actions">
              <button type="button" className="btn btn-primary" autoFocus onClick={close}>
                Close
              </button>
            </div>
          </div>
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (!reason.trim()) return setError('Say what is wrong with this message.');
              setBusy(true);
              onReport(reason.trim()).then(
                () => setDone(true),
                (err: unknown) => {
                  setBusy(false);
                  setError(messageActionError(err));
                },
              );
            }}
          >
            <p className="muted">The server’s admins see the message, the messages around it, and your reason.</p>
            <label htmlFor={`${ids}-reason`}>What is wrong with it?</label>
            <input id={`${ids}-reason`} autoFocus value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
            <FormFooter error={error} busy={busy} submit={'Report'} busyLabel={'Reporting…'} onCancel={close} />
          </form>
        )
      }
    </RoomDialog>
  );
}
