import { confineBidiControls } from '@chat/api/schemas';
import { useState } from 'react';
import type { ChatMessage } from '../api/trpc';
import { useFileTicket } from '../attachments/use-file-ticket';
import './LinkPreviewCard.css';

type Preview = NonNullable<ChatMessage['preview']>;

/** Open Graph's recommended shape (1.91:1) when the page gave no sizes: the space is reserved either way. */
const DEFAULT_RATIO = '1.91 / 1';

const isWebLink = (url: string) => /^https?:\/\//i.test(url);

/**
 * The card under a message whose first link the server previewed (docs/decisions/138-link-previews.md):
 * site, title, description and image, with the image's box sized before it loads (no layout jump).
 * The image is the copy the server stored (decision 141), loaded through a ticket like an attachment:
 * the page's own URL is never loaded (the CSP allows no image from other sites, and it would tell the
 * site who reads the room). `onRemove` is given for the author only.
 */
export function LinkPreviewCard({ preview, onRemove }: { preview: Preview; onRemove?: (() => void) | undefined }) {
  const [imageFailed, setImageFailed] = useState(false);
  if (!isWebLink(preview.url)) return null;
  const image = preview.image?.attachmentId && !imageFailed ? { ...preview.image, attachmentId: preview.image.attachmentId } : null;
  const ratio = image?.width && image.height ? `${image.width} / ${image.height}` : DEFAULT_RATIO;
  let host = '';
  try {
    host = new URL(preview.url).host;
  } catch {
    return null;
  }
  return (
    <aside className="link-preview" aria-label={`Link preview: ${confineBidiControls(preview.title)}`}>
      <a className="link-preview-body" href={preview.url} target="_blank" rel="noopener noreferrer">
        <span className="link-preview-site">{confineBidiControls(preview.siteName ?? host)}</span>
        <span className="link-preview-title">{confineBidiControls(preview.title)}</span>
        {preview.description && <span className="link-preview-description">{confineBidiControls(preview.description)}</span>}
        {image && <PreviewImage attachmentId={image.attachmentId} ratio={ratio} onFail={() => setImageFailed(true)} />}
      </a>
      {onRemove && (
        <button type="button" className="icon-button link-preview-remove" aria-label="Remove link preview" title="Remove preview" onClick={onRemove}>
          <svg viewBox="0 0 24 24" width="14" height="14" aria-hidden="true" focusable="false">
            <path d="M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z" fill="currentColor" />
          </svg>
        </button>
      )}
    </aside>
  );
}

/** The stored image's thumbnail, its box reserved while the ticket comes; gone if the file is not readable. */
function PreviewImage({ attachmentId, ratio, onFail }: { attachmentId: string; ratio: string; onFail: () => void }) {
  const ticket = useFileTicket(attachmentId);
  if (ticket.failed) return null;
  const src = ticket.thumbnailUrl ?? ticket.url;
  return (
    <span className="link-preview-image" style={{ aspectRatio: ratio }}>
      {src && <img src={src} alt="" loading="lazy" decoding="async" referrerPolicy="no-referrer" onError={onFail} />}
    </span>
  );
}
