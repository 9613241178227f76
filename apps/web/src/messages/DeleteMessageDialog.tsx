import { useId, useState } from 'react';
import { RoomDialog } from '../ui/RoomDialog';
import { messageActionError } from './message-action-errors';
import { FormFooter } from '../ui/FormFooter';

interface Props {
  /** `reason`: set when a moderator removes someone else's message (the audit log keeps it). */
  onDelete(reason?: string): Promise<void>;
  onClose(): void;
  /** Someone else's message, removed as the room's moderator: asks why. */
  asModerator?: { author: string };
}

/** Asks before deleting: the text is removed from the server for everyone. */
export function DeleteMessageDialog({ onDelete, onClose, asModerator }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [reason, setReason] = useState('');
  const ids = useId();
  return (
    <RoomDialog title={asModerator ? `Remove ${asModerator.author}’s message?` : 'Delete this message?'} onClose={onClose}>
      {(close) => (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (asModerator && !reason.trim()) return setError('Say why (the audit log keeps it).');
            setBusy(true);
            onDelete(asModerator ? reason.trim() : undefined).then(close, (err: unknown) => {
              setBusy(false);
              setError(messageActionError(err));
            });
          }}
        >
          {asModerator ? (
            <>
              <p className="muted">Everyone will see “Removed by a moderator” in its place. This cannot be undone.</p>
              <label htmlFor={`${ids}-reason`}>Why? (kept in the audit log)</label>
              <input id={`${ids}-reason`} autoFocus value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
            </>
          ) : (
            <p className="muted">Everyone will see “Message deleted” in its place. This cannot be undone.</p>
          )}
          <FormFooter error={error} busy={busy} submit={asModerator ? 'Remove' : 'Delete'} busyLabel={asModerator ? 'Removing…' : 'Deleting…'} onCancel={close} />
        </form>
      )}
    </RoomDialog>
  );
}
