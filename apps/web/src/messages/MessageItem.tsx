import { memo, useState } from 'react';
import { ReactionPills, SmileyPlus } from '../reactions/ReactionPills';
import { shownName } from '../people/shown-name';
import { Avatar } from '../ui/Avatar';
import { formatDay, formatFull, formatTime } from '../text/format-time';
import type { PendingMessage } from './live-messages';
import type { MessageActions } from './message-actions';
import { MessageEditor } from '../composer/MessageEditor';
import { LinkPreviewCard } from './LinkPreviewCard';
import { MessageText } from './MessageText';
import { MessageAttachments } from '../attachments/MessageAttachments';
import { PendingAttachments } from '../attachments/PendingAttachments';
import { ReplyQuote } from './ReplyQuote';
import { ThreadSummaryLine } from './ThreadSummaryLine';
import type { TimelineItem } from './timeline';

interface Props {
  item: TimelineItem;
  me: { id: string; username: string };
  onRetry(p: PendingMessage): void;
  onDiscard(p: PendingMessage): void;
  actions?: MessageActions;
  editing?: boolean;
  highlighted?: boolean;
  /** In a thread's list: its root, or one of its replies. */
  thread?: 'root' | 'reply' | undefined;
  /** In the room's pinned list. */
  pinned?: boolean;
}

/** A pushpin (docs/decisions/154). */
export function PinIcon() {
  return (
    <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
      <path d="M16 3H8v2h1v6l-3 3v2h5v5l1 1 1-1v-5h5v-2l-3-3V5h1z" fill="currentColor" />
    </svg>
  );
}

const PinnedMark = () => (
  <span className="message-pinned-mark" title="Pinned">
    <PinIcon />
    <span>Pinned</span>
  </span>
);

export const MessageItem = memo(function MessageItem({ item, me, onRetry, onDiscard, actions, editing = false, highlighted = false, pinned = false, thread }: Props) {
  const isPending = item.kind === 'pending';
  const message = isPending ? null : item.message;
  const author = message ? message.author : me;
  const createdAt = message ? message.createdAt : item.kind === 'pending' ? item.pending.createdAt : '';
  const text = message ? message.text : item.kind === 'pending' ? item.pending.text : '';
  const replyTo = message ? message.replyTo : item.kind === 'pending' ? item.pending.replyTo : null;
  const deleted = message?.deleted;
  const own = author.id === me.id;
  const failed = isPending && item.pending.status === 'failed';
  // The user's own edit or reactions still in the outbox: shown already, marked until the server has them.
  const queued = item.kind === 'message' ? item.queued : undefined;
  const classes = [
    'message',
    own ? 'message-own' : 'message-other',
    item.continued ? 'message-continued' : '',
    isPending ? `message-${item.pending.status}` : '',
    deleted ? 'message-deleted' : '',
    queued?.edit ? 'message-edit-pending' : '',
    thread === 'root' ? 'message-thread-root' : '',
    pinned ? 'message-pinned' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const reactions = message?.reactions ?? [];
  // Touch screens have no hover: a tap on the message shows its actions.
  const [actionsOpen, setActionsOpen] = useState(false);

  return (
    <li className="message-row" data-message-id={message?.id}>
      {item.newDay && (
        <div className="day-divider" role="separator">
          <span>{formatDay(createdAt)}</span>
        </div>
      )}
      <article className={classes} aria-label={`${own ? 'You' : shownName(author)}, ${formatTime(createdAt)}`} data-highlighted={highlighted || undefined}
        data-actions-open={actionsOpen || undefined}
        onClick={(e) => {
          if (!(e.target as Element).closest('button, a, textarea')) setActionsOpen((o) => !o);
        }}
        onMouseLeave={() => setActionsOpen(false)}
      >
        {!own && !item.continued && <Avatar name={author.username} user={author} size="sm" />}
        <div className="message-body">
          {!item.continued && (
            <header className="message-meta">
              {/* The unique name on hover: a display name alone could be anyone's (docs/decisions/155-profiles.md). */}
              <span className="message-author" title={own ? undefined : `@${author.username}`}>
                {own ? 'You' : shownName(author)}
              </span>
              <time dateTime={createdAt} title={formatFull(createdAt)}>
                {formatTime(createdAt)}
              </time>
              {pinned && <PinnedMark />}
            </header>
          )}
          {item.continued && pinned && (
            <header className="message-meta">
              <PinnedMark />
            </header>
          )}
          {editing && message && actions ? (
            <MessageEditor text={message.text} onSave={(t) => actions.saveEdit(message.id, t)} onCancel={actions.cancelEdit} />
          ) : (
            <div className="message-bubble">
              {replyTo && <ReplyQuote quote={replyTo} meId={me.id} onJump={actions && message ? () => actions.jumpTo(replyTo.id) : undefined} />}
              {deleted ? <p className="message-deleted-text">{thread === 'root' ? 'Original message deleted' : deleted.by === 'moderator' ? 'Removed by a moderator' : 'Message deleted'}</p> : <MessageText text={text} me={me.username} mentions={message?.mentions} />}
              {!deleted && message?.attachments && <MessageAttachments attachments={message.attachments} />}
              {isPending && item.pending.files && <PendingAttachments files={item.pending.files} />}
            </div>
          )}
          {message?.preview && !deleted && (
            <LinkPreviewCard preview={message.preview} onRemove={own && actions?.removePreview ? () => actions.removePreview?.(message) : undefined} />
          )}
          {message && !deleted && (reactions.length > 0 || message.editedAt) && (
            <div className="message-footer">
              {reactions.length > 0 && actions && (
                <ReactionPills
                  reactions={reactions}
                  meId={me.id}
                  pending={queued?.reactions}
                  onToggle={(emoji, on) => actions.react(message, emoji, on)}
                  onAdd={(anchor) => actions.pickReaction(message, anchor)}
                />
              )}
              {message.editedAt && (
                <span className="message-edited" title={`Edited ${formatFull(message.editedAt)}`}>
                  edited<span className="sr-only"> {formatFull(message.editedAt)}</span>
                </span>
              )}
            </div>
          )}
          {message?.thread && actions?.openThread && <ThreadSummaryLine thread={message.thread} onOpen={() => actions.openThread?.(message)} />}
          {message?.threadRootId && message.alsoInRoom && <p className="message-thread-note">{thread ? 'Also sent to the room' : 'Replied in a thread'}</p>}
          {queued?.edit && !deleted && (
            <div className="message-status" aria-live="polite">
              <span className="message-sending-label">Edit not saved yet; saves by itself</span>
            </div>
          )}
          {isPending && (
            <div className="message-status" aria-live="polite">
              {failed ? (
                <>
                  <span className="message-failed-reason">{item.pending.error}</span>
                  <button type="button" className="link-button" onClick={() => onRetry(item.pending)}>
                    Retry
                  </button>
                  <button type="button" className="link-button" onClick={() => onDiscard(item.pending)}>
                    Discard
                  </button>
                </>
              ) : (
                <span className="message-sending-label">{item.pending.status === 'queued' ? 'Waiting for the connection; sends by itself' : 'Sending…'}</span>
              )}
            </div>
          )}
        </div>
        {message && !deleted && !editing && actions && (
          <div className="message-actions" role="toolbar" aria-label="Message actions">
            <button type="button" className="icon-button" aria-label="Add a reaction" title="React (+)" aria-keyshortcuts="Plus" onClick={(e) => actions.pickReaction(message, e.currentTarget)}>
              <SmileyPlus />
            </button>
            <button type="button" className="icon-button" aria-label="Reply" title="Reply (R)" aria-keyshortcuts="R" onClick={() => actions.reply(message)}>
              <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
                <path d="M10 9V5l-7 7 7 7v-4.1c5 0 8.5 1.6 11 5.1-1-5-4-10-11-11" fill="currentColor" />
              </svg>
            </button>
            {actions.openThread && !message.threadRootId && (
              <button type="button" className="icon-button" aria-label="Open thread" title="Reply in thread (T)" aria-keyshortcuts="T" onClick={() => actions.openThread?.(message)}>
                <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
                  <path d="M4 4h16v11H7l-3 3zm3 4v2h10V8zm0 3v2h7v-2z" fill="currentColor" />
                </svg>
              </button>
            )}
            {actions.pin && (!message.threadRootId || message.alsoInRoom) && (
              <button type="button" className="icon-button" aria-label={pinned ? 'Unpin message' : 'Pin message'} title={pinned ? 'Unpin' : 'Pin'} aria-pressed={pinned} onClick={() => actions.pin?.(message, !pinned)}>
                <PinIcon />
              </button>
            )}
            {own && (
              <>
                <button type="button" className="icon-button" aria-label="Edit message" title="Edit (E)" aria-keyshortcuts="E" onClick={() => actions.startEdit(message.id)}>
                  <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
                    <path d="M3 17.25V21h3.75L17.8 9.94l-3.75-3.75zM20.7 7.04a1 1 0 0 0 0-1.41l-2.33-2.34a1 1 0 0 0-1.41 0l-1.83 1.83 3.75 3.75z" fill="currentColor" />
                  </svg>
                </button>
                <button type="button" className="icon-button" aria-label="Delete message" title="Delete (Delete)" aria-keyshortcuts="Delete Backspace" onClick={() => actions.remove(message)}>
                  <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
                    <path d="M6 19a2 2 0 0 0 2 2h8a2 2 0 0 0 2-2V7H6zM19 4h-3.5l-1-1h-5l-1 1H5v2h14z" fill="currentColor" />
                  </svg>
                </button>
              </>
            )}
            {!own && (
              <button type="button" className="icon-button" aria-label="Report message" title="Report…" onClick={() => actions.report(message)}>
                <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
                  <path d="M14.4 6 14 4H5v17h2v-7h5.6l.4 2h7V6z" fill="currentColor" />
                </svg>
              </button>
            )}
            {!own && actions.canModerate && (
              <button type="button" className="icon-button" aria-label="Remove message (moderator)" title="Remove… (Delete)" aria-keyshortcuts="Delete Backspace" onClick={() => actions.remove(message)}>
                <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
                  <path d="M6 19a2 2 0 0 0 2 2h8a2 2 0 0 0 2-2V7H6zM19 4h-3.5l-1-1h-5l-1 1H5v2h14z" fill="currentColor" />
                </svg>
              </button>
            )}
          </div>
        )}
      </article>
    </li>
  );
});
