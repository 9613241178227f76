import type { ThreadListItem } from '@chat/api';
import { formatFull, formatTime } from '../text/format-time';
import { plainText } from '../text/message-markdown';
import './Threads.css';

interface Props {
  threads: readonly ThreadListItem[] | null;
  roomName(roomId: string): string;
  onOpen(thread: ThreadListItem): void;
  onClose(): void;
}

/** The followed threads, unread first (the order thread.list and the fold give), with unread and mention counts. */
export function ThreadsView({ threads, roomName, onOpen, onClose }: Props) {
  return (
    <section className="threads-view glass" aria-label="Threads" onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), onClose())}>
      <header className="thread-header">
        <h2 className="thread-title">Threads</h2>
        <button type="button" className="icon-button" aria-label="Close threads" onClick={onClose}>
          ×
        </button>
      </header>
      {!threads ? (
        <p className="muted small" aria-busy="true">
          Loading threads…
        </p>
      ) : threads.length === 0 ? (
        <p className="muted small">No threads yet. Reply in a thread, or follow one, and it shows here.</p>
      ) : (
        <ul className="threads-list">
          {threads.map((t) => {
            const replies = t.root.thread?.replyCount ?? 0;
            return (
              <li key={t.rootId}>
                <button type="button" className={`threads-item${t.unread > 0 ? ' unread' : ''}`} onClick={() => onOpen(t)}>
                  <span className="threads-item-room muted small">{roomName(t.roomId)}</span>
                  <span className="threads-item-text">{t.root.deleted ? 'Original message deleted' : plainText(t.root.text).slice(0, 140)}</span>
                  <span className="threads-item-meta small">
                    {t.root.author.username} · {replies} {replies === 1 ? 'reply' : 'replies'}
                    {t.root.thread && (
                      <time dateTime={t.root.thread.lastReplyAt} title={formatFull(t.root.thread.lastReplyAt)}>
                        {' '}
                        · last {formatTime(t.root.thread.lastReplyAt)}
                      </time>
                    )}
                  </span>
                  {t.mentions > 0 && (
                    <span className="mention-badge">
                      @{t.mentions}
                      <span className="sr-only"> {t.mentions === 1 ? 'mention' : 'mentions'}</span>
                    </span>
                  )}
                  {t.unread > 0 && (
                    <span className="unread-badge">
                      {t.unread}
                      <span className="sr-only"> unread</span>
                    </span>
                  )}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
