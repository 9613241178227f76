import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import type { Attachment } from '@chat/api';
import { useFileTicket } from './use-file-ticket';

interface Props {
  images: readonly Attachment[];
  index: number;
  onIndexChange(index: number): void;
  onClose(): void;
}

const ZOOMS = [0.5, 0.75, 1, 1.5, 2, 3];

/** One message's images, large: Escape closes, arrows move between them, + and - zoom, and a download link. */
export function ImageViewer({ images, index, onIndexChange, onClose }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [zoom, setZoom] = useState(2);
  const image = images[index]!;
  const ticket = useFileTicket(image.id);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  useEffect(() => setZoom(2), [index]);

  const onKeyDown = (e: KeyboardEvent) => {
    // Here as well as the dialog's cancel: the app's own Escape handlers may take the key before the browser's.
    if (e.key === 'Escape') onClose();
    else if (e.key === 'ArrowRight' && index < images.length - 1) onIndexChange(index + 1);
    else if (e.key === 'ArrowLeft' && index > 0) onIndexChange(index - 1);
    else if (e.key === '+' || e.key === '=') setZoom((z) => Math.min(ZOOMS.length - 1, z + 1));
    else if (e.key === '-') setZoom((z) => Math.max(0, z - 1));
    else return;
    e.preventDefault();
  };

  const scale = ZOOMS[zoom]!;
  return (
    <dialog
      ref={dialog}
      className="image-viewer glass"
      aria-label={`${image.name} (${index + 1} of ${images.length})`}
      onKeyDown={onKeyDown}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      // Chrome may close a modal on Escape without a cancel event (no user activation since it opened).
      onClose={onClose}
    >
      <header className="image-viewer-bar">
        <span className="image-viewer-title">
          {image.name} · {index + 1} of {images.length}
        </span>
        <button type="button" className="icon-button" aria-label="Zoom out" onClick={() => setZoom((z) => Math.max(0, z - 1))}>
          −
        </button>
        <span className="image-viewer-zoom">{Math.round(scale * 100)}%</span>
        <button type="button" className="icon-button" aria-label="Zoom in" onClick={() => setZoom((z) => Math.min(ZOOMS.length - 1, z + 1))}>
          +
        </button>
        {ticket.url && (
          <a className="btn btn-secondary btn-small" href={ticket.url} download={image.name} rel="noreferrer">
            Download
          </a>
        )}
        <button type="button" className="icon-button" aria-label="Close viewer" onClick={onClose}>
          ×
        </button>
      </header>
      <div className="image-viewer-stage">
        {images.length > 1 && (
          <button type="button" className="icon-button image-viewer-prev" aria-label="Previous image" disabled={index === 0} onClick={() => onIndexChange(index - 1)}>
            ‹
          </button>
        )}
        {ticket.url ? (
          <img src={ticket.url} alt={image.name} width={image.width} height={image.height} style={{ transform: `scale(${scale})` }} referrerPolicy="no-referrer" />
        ) : (
          <span className="attachment-unavailable">{ticket.failed ? 'This image is no longer available to you.' : 'Loading…'}</span>
        )}
        {images.length > 1 && (
          <button type="button" className="icon-button image-viewer-next" aria-label="Next image" disabled={index === images.length - 1} onClick={() => onIndexChange(index + 1)}>
            ›
          </button>
        )}
      </div>
    </dialog>
  );
}
