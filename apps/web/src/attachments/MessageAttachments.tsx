import { Suspense, useState } from 'react';
import type { Attachment } from '@chat/api';
import { formatBytes } from './upload-queue';
import { useFileTicket } from './use-file-ticket';
import { lazyComponent } from '../ui/lazy-component';
import './attachments.css';

// Loaded with the first image opened (docs/decisions/164).
const ImageViewer = lazyComponent(() => import('./ImageViewer').then((m) => m.ImageViewer));

/** Longest side of a thumbnail as shown; the box is reserved from the image's real size before it loads. */
const THUMB_MAX = 280;

export function thumbnailBox(width: number, height: number, max = THUMB_MAX): { width: number; height: number } {
  const scale = Math.min(1, max / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** A message's files: images as thumbnails (opening the viewer), other files as cards with a download button. */
export function MessageAttachments({ attachments }: { attachments: readonly Attachment[] }) {
  const images = attachments.filter((a) => a.kind === 'image' && a.width && a.height);
  const files = attachments.filter((a) => !images.includes(a));
  const [open, setOpen] = useState<number | null>(null);
  return (
    <div className="message-attachments">
      {images.length > 0 && (
        <div className="attachment-images">
          {images.map((image, index) => (
            <ImageThumbnail key={image.id} image={image} onOpen={() => setOpen(index)} />
          ))}
        </div>
      )}
      {files.map((file) => (
        <FileCard key={file.id} file={file} />
      ))}
      {open !== null && (
        <Suspense fallback={null}>
          <ImageViewer images={images} index={open} onIndexChange={setOpen} onClose={() => setOpen(null)} />
        </Suspense>
      )}
    </div>
  );
}

function ImageThumbnail({ image, onOpen }: { image: Attachment; onOpen(): void }) {
  const ticket = useFileTicket(image.id);
  const box = thumbnailBox(image.width!, image.height!);
  return (
    <button type="button" className="attachment-thumb" style={{ width: box.width, aspectRatio: `${image.width} / ${image.height}` }} onClick={onOpen} aria-label={`Open image ${image.name}`}>
      {ticket.failed ? (
        <span className="attachment-unavailable">Image unavailable</span>
      ) : (
        ticket.thumbnailUrl && <img src={ticket.thumbnailUrl} alt={image.name} width={box.width} height={box.height} loading="lazy" decoding="async" referrerPolicy="no-referrer" />
      )}
    </button>
  );
}

function FileCard({ file }: { file: Attachment }) {
  const ticket = useFileTicket(file.id);
  return (
    <div className="attachment-card">
      <span className="attachment-card-icon" aria-hidden="true">
        {extensionOf(file.name)}
      </span>
      <span className="attachment-card-text">
        <span className="attachment-card-name" title={file.name}>
          {file.name}
        </span>
        <span className="attachment-card-meta">
          {file.type} · {formatBytes(file.size)}
        </span>
      </span>
      {ticket.url ? (
        <a className="btn btn-secondary btn-small" href={ticket.url} download={file.name} rel="noreferrer" aria-label={`Download ${file.name}`}>
          Download
        </a>
      ) : (
        <span className="attachment-unavailable">{ticket.failed ? 'Unavailable' : '…'}</span>
      )}
    </div>
  );
}

const extensionOf = (name: string) => {
  const dot = name.lastIndexOf('.');
  return dot > 0 && name.length - dot <= 5 ? name.slice(dot + 1).toUpperCase() : 'FILE';
};
