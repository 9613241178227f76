import type { ChatMessage } from '../api/trpc';
import { formatFull, formatTime } from '../text/format-time';
import { Avatar } from '../ui/Avatar';
import './ThreadSummaryLine.css';

type Summary = NonNullable<ChatMessage['thread']>;

/** Under a root: its last repliers, "N replies" and the last reply's time; opens the thread. */
export function ThreadSummaryLine({ thread, onOpen }: { thread: Summary; onOpen(): void }) {
  const replies = `${thread.replyCount} ${thread.replyCount === 1 ? 'reply' : 'replies'}`;
  return (
    <button type="button" className="thread-summary" onClick={onOpen} aria-label={`${replies}, last at ${formatFull(thread.lastReplyAt)}; open the thread`}>
      <span className="thread-summary-repliers" aria-hidden="true">
        {thread.repliers.map((u) => (
          <Avatar key={u.id} name={u.username} size="sm" />
        ))}
      </span>
      <span className="thread-summary-count">{replies}</span>
      <time className="thread-summary-time" dateTime={thread.lastReplyAt} title={formatFull(thread.lastReplyAt)}>
        Last reply {formatTime(thread.lastReplyAt)}
      </time>
    </button>
  );
}
