import type { OutboxFile } from '@chat/client/core';
import { useEffect, useState } from 'react';
import { formatBytes } from './upload-queue';
import './attachments.css';

/**
 * The files of a message still in the outbox (docs/decisions/133): images from the browser's own copy, other
 * files as cards, until the server's message replaces it. Nothing is fetched: it may be written offline.
 */
export function PendingAttachments({ files }: { files: readonly OutboxFile[] }) {
  return (
    <div className="message-attachments pending-attachments">
      {files.map((file) =>
        file.blob && file.type.startsWith('image/') ? (
          <PendingImage key={file.localId} file={file} blob={file.blob} />
        ) : (
          <div key={file.localId} className="attachment-card">
            <span className="attachment-card-icon" aria-hidden="true">
              {(/\.([A-Za-z0-9]{1,4})$/.exec(file.name)?.[1] ?? 'file').toUpperCase()}
            </span>
            <span className="attachment-card-text">
              <span className="attachment-card-name" title={file.name}>
                {file.name}
              </span>
              <span className="attachment-card-meta">{formatBytes(file.size)}</span>
            </span>
          </div>
        ),
      )}
    </div>
  );
}

function PendingImage({ file, blob }: { file: OutboxFile; blob: Blob }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const made = URL.createObjectURL(blob);
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [blob]);
  return <span className="attachment-thumb pending-thumb">{url && <img src={url} alt={file.name} decoding="async" />}</span>;
}
