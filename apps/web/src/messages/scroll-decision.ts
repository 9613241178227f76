export interface ListEdges {
  firstKey: string | null;
  lastKey: string | null;
}

export type ScrollAction =
  /** First render with content: start at the newest message. */
  | 'jump-to-bottom'
  /** New messages at the end and the reader is following: stay at the bottom. */
  | 'follow'
  /** New messages at the end while the reader is scrolled up: leave them be, show the pill. */
  | 'notify'
  /** Older messages were added above: keep the visible ones where they are. */
  | 'keep-position'
  | 'none';

/** What the message list does with its scroll position after the items changed. */
export function decideScroll(prev: ListEdges, next: ListEdges, atBottom: boolean, newestIsOwn: boolean): ScrollAction {
  if (next.lastKey === null) return 'none';
  if (prev.lastKey === null) return 'jump-to-bottom';
  if (next.lastKey !== prev.lastKey) {
    // Sending is an explicit act: show the user their own message even when scrolled up.
    if (atBottom || newestIsOwn) return 'follow';
    return 'notify';
  }
  if (next.firstKey !== prev.firstKey) return 'keep-position';
  return 'none';
}
