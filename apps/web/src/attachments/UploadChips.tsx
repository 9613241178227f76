import type { QueuedUpload } from './upload-queue';
import { formatBytes } from './upload-queue';
import './attachments.css';

interface Props {
  queue: readonly QueuedUpload[];
  onRemove(localId: string): void;
  tooMany: boolean;
}

/** The composer's files: a progress bar and cancel while uploading, a remove button once ready, the server's sentence when refused. */
export function UploadChips({ queue, onRemove, tooMany }: Props) {
  if (queue.length === 0) return null;
  return (
    <div className="upload-chips">
      <ul aria-label="Files to send">
        {queue.map((u) => (
          <li key={u.localId} className={`upload-chip upload-chip-${u.status}`}>
            <span className="upload-chip-name" title={u.name}>
              {u.name}
            </span>
            <span className="upload-chip-size">{formatBytes(u.size)}</span>
            {u.status === 'uploading' && (
              <progress className="upload-chip-progress" max={u.size || 1} value={u.sent} aria-label={`Uploading ${u.name}`}>
                {Math.round((u.sent / (u.size || 1)) * 100)}%
              </progress>
            )}
            {u.status === 'refused' && (
              <span className="upload-chip-reason" role="alert">
                {u.reason} It will not be sent with the message.
              </span>
            )}
            <button type="button" className="icon-button upload-chip-remove" aria-label={u.status === 'uploading' ? `Cancel uploading ${u.name}` : `Remove ${u.name}`} onClick={() => onRemove(u.localId)}>
              ×
            </button>
          </li>
        ))}
      </ul>
      {tooMany && (
        <p className="upload-chip-reason" role="alert">
          One message carries at most 10 files; remove some and send them in another message.
        </p>
      )}
    </div>
  );
}
