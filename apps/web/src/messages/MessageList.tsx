import { Fragment, type ReactNode, useCallback, useDeferredValue, useLayoutEffect, useRef, useState } from 'react';
import type { PendingMessage } from './live-messages';
import type { MessageActions } from './message-actions';
import { MessageItem } from './MessageItem';
import { decideScroll, type ListEdges } from './scroll-decision';
import { useRovingFocus } from './use-roving-focus';
import type { TimelineItem } from './timeline';
import './MessageList.css';

interface Props {
  items: TimelineItem[];
  me: { id: string; username: string };
  hasOlder: boolean;
  loadingOlder: boolean;
  loadOlder(): void;
  onRetry(p: PendingMessage): void;
  onDiscard(p: PendingMessage): void;
  /** The "new messages" line goes above this item: where the user left off. */
  dividerKey?: string | null;
  /** Told when the reader reaches the newest message or scrolls away from it. */
  onBottomChange?(atBottom: boolean): void;
  actions?: MessageActions;
  /** The message open in the inline editor. */
  editingId?: string | null;
  /** The message just jumped to. */
  highlightedId?: string | null;
  /** The list's name for assistive technology. */
  label?: string;
  /** What stands above the first message once there is no older one to load. */
  beginning?: ReactNode;
  /** What the list says with no message in it. */
  empty?: ReactNode;
  /** A thread's list: its root (first), then its replies. */
  thread?: { rootId: string; repliesLabel: string };
  /** The room's pinned messages, marked in the list. */
  pinnedIds?: ReadonlySet<string>;
}

/** Within this many pixels of the end counts as "at the bottom". */
const BOTTOM_SLACK_PX = 48;
/** Start loading older messages this far before the top is reached. */
const TOP_PREFETCH_PX = 400;

/** What the list shows in its very first render, before the room's history is laid out. */
const NOTHING_YET: TimelineItem[] = [];

const edgesOf = (items: TimelineItem[]): ListEdges => ({ firstKey: items[0]?.key ?? null, lastKey: items[items.length - 1]?.key ?? null });

export function MessageList({
  items: timeline,
  me,
  hasOlder,
  loadingOlder,
  loadOlder,
  onRetry,
  onDiscard,
  dividerKey = null,
  onBottomChange,
  actions,
  editingId = null,
  highlightedId = null,
  label = 'Messages',
  beginning = <p className="muted small">This is the beginning of the chat.</p>,
  empty = 'No messages yet. Say hello!',
  thread,
  pinnedIds,
}: Props) {
  // The first screen of history renders as a deferred update, which React splits into slices the
  // browser may interrupt: one long task per room opened otherwise (decision 151). Later changes
  // (live messages, edits, older pages) render at once, as before.
  const deferred = useDeferredValue(timeline, NOTHING_YET);
  const items = deferred === NOTHING_YET ? NOTHING_YET : timeline;
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const prevEdges = useRef<ListEdges>({ firstKey: null, lastKey: null });
  const prevHeight = useRef(0);
  const [unseen, setUnseen] = useState(0);

  const bottomChanged = useRef(onBottomChange);
  useLayoutEffect(() => {
    bottomChanged.current = onBottomChange;
  });
  const measure = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    const was = atBottom.current;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK_PX;
    prevHeight.current = el.scrollHeight;
    if (was !== atBottom.current) bottomChanged.current?.(atBottom.current);
  }, []);

  const toBottom = useCallback(
    (smooth: boolean) => {
      const el = scroller.current;
      if (!el) return;
      // A long smooth scroll takes over a second; a reader who asked for reduced motion gets there at once.
      const animate = smooth && !window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
      el.scrollTo({ top: el.scrollHeight, behavior: animate ? 'smooth' : 'instant' });
      atBottom.current = true;
      setUnseen(0);
    },
    [],
  );

  // Read in the first screen's positioning, which runs after this render's effects.
  const highlighted = useRef(highlightedId);
  useLayoutEffect(() => {
    highlighted.current = highlightedId;
  });

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const next = edgesOf(items);
    const last = items[items.length - 1];
    const newestIsOwn = last?.kind === 'pending' || (last?.kind === 'message' && last.message.author.id === me.id);
    const action = decideScroll(prevEdges.current, next, atBottom.current, newestIsOwn);
    prevEdges.current = next;
    // Nothing to measure in an empty list: reading its height here would make the browser lay out the whole screen
    // just mounted inside this commit, one long task with it (decision 167).
    if (next.lastKey === null) return;
    const content = el.querySelector('.message-items');
    if (action === 'jump-to-bottom' && content && typeof ResizeObserver !== 'undefined') {
      // The first screen goes to its newest message once the browser has laid it out on its own (a
      // ResizeObserver's first call, before paint), not by reading its height here: that forced the
      // layout of every new element from script, which Lighthouse's trace charges a JS stack each
      // (decision 160). A message jumped to meanwhile (highlighted) keeps its place.
      const observer = new ResizeObserver(() => {
        observer.disconnect();
        if (!highlighted.current) toBottom(false);
        measure();
      });
      observer.observe(content);
      return () => observer.disconnect();
    }
    if (action === 'jump-to-bottom' || action === 'follow') toBottom(false);
    else if (action === 'keep-position') el.scrollTop += el.scrollHeight - prevHeight.current;
    else if (action === 'notify') setUnseen((n) => n + 1);
    measure();
  }, [items, me.id, measure, toBottom]);

  const roving = useRovingFocus(scroller, () => hasOlder && !loadingOlder && loadOlder());

  const onScroll = () => {
    measure();
    const el = scroller.current;
    if (atBottom.current && unseen) setUnseen(0);
    if (el && el.scrollTop < TOP_PREFETCH_PX && hasOlder && !loadingOlder) loadOlder();
  };

  return (
    <div className="message-list-wrap">
      <div ref={scroller} className="message-scroller" onScroll={onScroll} aria-label={label} role="region" {...roving}>
        <div className="history-edge">
          {hasOlder ? (
            <button type="button" className="btn btn-ghost btn-small" onClick={() => loadOlder()} disabled={loadingOlder}>
              {loadingOlder ? 'Loading older messages…' : 'Load older messages'}
            </button>
          ) : (
            timeline.length > 0 && beginning
          )}
        </div>
        {timeline.length === 0 ? (
          <p className="empty-chat muted">{empty}</p>
        ) : (
          <ol className="message-items">
            {items.map((item) => (
              <Fragment key={item.key}>
                {/* A plain item: axe refuses an <ol> child with role="separator", and a reader hears the words anyway. */}
                {item.key === dividerKey && (
                  <li className="new-messages-divider" data-testid="new-messages-divider">
                    New messages
                  </li>
                )}
                <MessageItem
                  item={item}
                  thread={thread && (item.kind === 'message' && item.message.id === thread.rootId ? 'root' : 'reply')}
                  me={me}
                  onRetry={onRetry}
                  onDiscard={onDiscard}
                  actions={actions}
                  editing={item.kind === 'message' && item.message.id === editingId}
                  highlighted={item.kind === 'message' && item.message.id === highlightedId}
                  pinned={item.kind === 'message' && (pinnedIds?.has(item.message.id) ?? false)}
                />
                {thread && item.kind === 'message' && item.message.id === thread.rootId && (
                  <li className="thread-divider" data-testid="thread-replies-divider">
                    <span>{thread.repliesLabel}</span>
                  </li>
                )}
              </Fragment>
            ))}
          </ol>
        )}
      </div>
      {unseen > 0 && (
        <button type="button" className="new-messages-pill" onClick={() => toBottom(true)}>
          {unseen === 1 ? '1 new message' : `${unseen} new messages`} <span aria-hidden="true">↓</span>
        </button>
      )}
    </div>
  );
}
