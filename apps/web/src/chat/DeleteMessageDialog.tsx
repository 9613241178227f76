import { useState } from 'react';
import { RoomDialog } from '../rooms/RoomDialog';
import { messageActionError } from './message-action-errors';

interface Props {
  onDelete(): Promise<void>;
  onClose(): void;
}

/** Asks before deleting: the text is removed from the server for everyone. */
export function DeleteMessageDialog({ onDelete, onClose }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <RoomDialog title="Delete this message?" onClose={onClose}>
      {(close) => (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setBusy(true);
            onDelete().then(close, (err: unknown) => {
              setBusy(false);
              setError(messageActionError(err));
            });
          }}
        >
          <p className="muted">Everyone will see “Message deleted” in its place. This cannot be undone.</p>
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
          <div className="room-dialog-actions">
            <button type="button" className="btn btn-ghost" onClick={close}>
              Cancel
            </button>
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {busy ? 'Deleting…' : 'Delete'}
            </button>
          </div>
        </form>
      )}
    </RoomDialog>
  );
}
