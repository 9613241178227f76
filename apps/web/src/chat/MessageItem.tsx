import { memo } from 'react';
import { Avatar } from '../ui/Avatar';
import { formatDay, formatFull, formatTime } from './format-time';
import type { PendingMessage } from './live-messages';
import { MessageText } from './MessageText';
import type { TimelineItem } from './timeline';

interface Props {
  item: TimelineItem;
  me: { id: string; username: string };
  onRetry(p: PendingMessage): void;
  onDiscard(p: PendingMessage): void;
}

export const MessageItem = memo(function MessageItem({ item, me, onRetry, onDiscard }: Props) {
  const isPending = item.kind === 'pending';
  const author = isPending ? me : item.message.author;
  const createdAt = isPending ? item.pending.createdAt : item.message.createdAt;
  const text = isPending ? item.pending.text : item.message.text;
  const own = author.id === me.id;
  const failed = isPending && item.pending.status === 'failed';
  const classes = ['message', own ? 'message-own' : 'message-other', item.continued ? 'message-continued' : '', isPending ? `message-${item.pending.status}` : '']
    .filter(Boolean)
    .join(' ');

  return (
    <li className="message-row" data-message-id={isPending ? undefined : item.message.id}>
      {item.newDay && (
        <div className="day-divider" role="separator">
          <span>{formatDay(createdAt)}</span>
        </div>
      )}
      <article className={classes} aria-label={`${own ? 'You' : author.username}, ${formatTime(createdAt)}`}>
        {!own && !item.continued && <Avatar name={author.username} size="sm" />}
        <div className="message-body">
          {!item.continued && (
            <header className="message-meta">
              <span className="message-author">{own ? 'You' : author.username}</span>
              <time dateTime={createdAt} title={formatFull(createdAt)}>
                {formatTime(createdAt)}
              </time>
            </header>
          )}
          <div className="message-bubble">
            <MessageText text={text} me={me.username} />
          </div>
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
                <span className="message-sending-label">Sending…</span>
              )}
            </div>
          )}
        </div>
      </article>
    </li>
  );
});
