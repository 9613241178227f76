import { MESSAGE_MAX } from '@chat/api/schemas';
import { type ClipboardEvent, forwardRef, type KeyboardEvent, useId, useRef } from 'react';
import { UploadChips } from '../attachments/UploadChips';
import type { Uploads } from '../attachments/use-uploads';
import type { OutboxFile } from '@chat/client/core';
import { checkDraft } from './composer-state';
import { MentionList } from './MentionList';
import { useMentionCompletion } from './use-mention-completion';
import type { ReplyTarget } from '../api/room-types';
import { plainText } from '../text/message-markdown';
import './Composer.css';

interface Props {
  draft: string;
  onDraftChange(draft: string): void;
  /**
   * The text (may be empty when files go with it) and the ids of the files uploaded for this message; offline,
   * `files` instead: the outbox keeps them and uploads them when the message goes.
   */
  onSend(text: string, attachmentIds?: string[], files?: OutboxFile[]): void;
  /** Files attached to the message being written (button, paste, or drop on the room); none without it. */
  uploads?: Uploads;
  /** The message being answered, shown above the box until sent or cancelled. */
  replyTo?: ReplyTarget | null;
  meId?: string;
  onCancelReply?(): void;
  /** ArrowUp in an empty box: edit the user's last message; false when there is none. */
  onEditLast?(): boolean;
  /** The room written to: whom `@` offers (its members; any user in #everyone). */
  roomId?: string;
  /** What the box is called (another composer may be on screen, a thread's beside the room's). */
  label?: string;
  placeholder?: string;
  sendLabel?: string;
}

/**
 * Enter sends, Shift+Enter breaks the line; the limit is shown before the server would refuse.
 * ArrowUp in an empty box edits the last message; Escape drops the reply being written.
 */
export const Composer = forwardRef<HTMLTextAreaElement, Props>(function Composer(
  { draft, onDraftChange, onSend, replyTo = null, meId, onCancelReply, onEditLast, roomId, uploads, label = 'Message', placeholder = 'Write a message…', sendLabel = 'Send message' },
  ref,
) {
  const id = useId();
  const check = checkDraft(draft);
  const mention = useMentionCompletion({ roomId, meId, draft, onDraftChange });
  const fileInput = useRef<HTMLInputElement>(null);
  const files = uploads?.attachmentIds ?? [];
  // Offline with files not uploaded yet: they go into the outbox with the message (null otherwise).
  const queued = uploads?.forOutbox ?? null;
  // Files may go without text; online, nothing goes while a file is still uploading (Enter waits for them).
  const canSend = (check.canSend || (check.length === 0 && (files.length > 0 || queued !== null))) && (!uploads?.uploading || queued !== null) && !uploads?.tooMany;

  const send = () => {
    if (!canSend) return;
    if (queued) {
      onSend(draft.trim(), undefined, queued);
      uploads?.handedOver?.(queued);
    } else if (files.length > 0) onSend(draft.trim(), files);
    else onSend(draft.trim());
    uploads?.sent();
    onDraftChange('');
  };

  const onPaste = (e: ClipboardEvent<HTMLTextAreaElement>) => {
    const pasted = [...e.clipboardData.files];
    if (!uploads || pasted.length === 0) return;
    e.preventDefault();
    uploads.add(pasted);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (mention.onKeyDown(e)) return;
    // While an IME is composing, Enter picks a candidate; it must not send.
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      send();
    } else if (e.key === 'ArrowUp' && draft === '' && !e.shiftKey && !e.altKey && !e.metaKey && !e.ctrlKey && onEditLast?.()) {
      e.preventDefault();
    } else if (e.key === 'Escape' && replyTo && onCancelReply) {
      e.stopPropagation();
      onCancelReply();
    }
  };

  return (
    <form
      className="composer glass"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      {replyTo && (
        <div className="composer-reply" role="status">
          <span className="composer-reply-text">
            Replying to <strong>{replyTo.author.id === meId ? 'yourself' : replyTo.author.username}</strong>
            <span className="composer-reply-excerpt">{plainText(replyTo.excerpt)}</span>
          </span>
          <button type="button" className="icon-button" aria-label="Cancel reply" onClick={onCancelReply}>
            ×
          </button>
        </div>
      )}
      {uploads && <UploadChips queue={uploads.queue} onRemove={uploads.remove} tooMany={uploads.tooMany} />}
      <MentionList {...mention.listProps} />
      {uploads && (
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          aria-label="Attach files"
          onChange={(e) => {
            uploads.add([...(e.target.files ?? [])]);
            e.target.value = '';
          }}
        />
      )}
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <textarea
        ref={ref}
        id={id}
        className="composer-input"
        rows={1}
        placeholder={placeholder}
        value={draft}
        {...mention.inputProps}
        onChange={(e) => {
          onDraftChange(e.target.value);
          mention.track(e.target);
        }}
        onKeyDown={onKeyDown}
        onPaste={onPaste}
        aria-describedby={`${id}-hint ${id}-count`}
        aria-invalid={check.tooLong || undefined}
        enterKeyHint="send"
      />
      <div className="composer-side">
        <span id={`${id}-count`} className={check.tooLong ? 'char-count over' : 'char-count'} aria-live="polite" hidden={!check.showCounter}>
          {check.showCounter ? (check.tooLong ? `${-check.remaining} over the ${MESSAGE_MAX} limit` : `${check.remaining} left`) : ''}
        </span>
        {/* After the text box, so Shift+Tab from it still reaches the message list (decision 135). */}
        {uploads && (
          <button type="button" className="icon-button composer-attach" aria-label="Attach files" onClick={() => fileInput.current?.click()}>
            <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
              <path d="M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5H9v9a3 3 0 0 0 6 0V5a4.5 4.5 0 0 0-9 0v11.5a6 6 0 0 0 12 0v-10z" fill="currentColor" />
            </svg>
          </button>
        )}
        <button type="submit" className="btn btn-primary composer-send" disabled={!canSend} aria-label={uploads?.uploading ? `${sendLabel} (waiting for the files to upload)` : sendLabel}>
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
            <path d="M3.4 20.4 21 12 3.4 3.6 3.3 10l12.5 2-12.5 2z" fill="currentColor" />
          </svg>
        </button>
      </div>
      <p id={`${id}-hint`} className="sr-only">
        Enter sends; Shift and Enter add a new line; Arrow Up in an empty box edits your last message; @ and a name offers people to mention.
      </p>
    </form>
  );
});
