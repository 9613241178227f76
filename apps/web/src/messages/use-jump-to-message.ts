import { useCallback, useEffect, useState } from 'react';
import { compareIds } from '@chat/client/core';
import type { TimelineItem } from './timeline';

export type JumpState = { messageId: string; status: 'finding' | 'missing' } | null;

interface Source {
  ready: boolean;
  timeline: TimelineItem[];
  hasOlder: boolean;
  loadingOlder: boolean;
  loadOlder(): void;
  /** The element holding the list (the room's, or a thread's beside it): a message may show in both. */
  scope?: string;
}

/** How long a message jumped to stays highlighted. */
const HIGHLIGHT_MS = 2_500;
/** A room's first screen of history renders as a deferred update (MessageList): wait this many frames for it at most. */
const REVEAL_FRAMES = 180;

/** Scrolls the message into the middle of the list once it is rendered, which may be a few frames after the timeline has it. */
function revealWhenRendered(scope: string, id: string, framesLeft = REVEAL_FRAMES) {
  requestAnimationFrame(() => {
    const element = document.querySelector(`${scope} .message-scroller [data-message-id="${CSS.escape(id)}"]`);
    if (element) element.scrollIntoView({ block: 'center' });
    else if (framesLeft > 0) revealWhenRendered(scope, id, framesLeft - 1);
  });
}

/**
 * Scrolls to a message of the open room, loading older pages until it is there (the caller shows
 * `jump` as progress), then highlights it for a moment. A message older than the room's start, or
 * newer than the oldest loaded one without being among them, is reported missing.
 */
export function useJumpToMessage(source: Source) {
  const [jump, setJump] = useState<JumpState>(null);
  const [highlightedId, setHighlightedId] = useState<string | null>(null);
  const { ready, timeline, hasOlder, loadingOlder, loadOlder, scope = '.chat-main' } = source;

  useEffect(() => {
    if (!jump || jump.status !== 'finding' || !ready) return;
    const id = jump.messageId;
    const messages = timeline.flatMap((i) => (i.kind === 'message' ? [i.message.id] : []));
    if (messages.includes(id)) {
      setJump(null);
      setHighlightedId(id);
      revealWhenRendered(scope, id);
      return;
    }
    const oldest = messages[0];
    if (!hasOlder || (oldest !== undefined && compareIds(id, oldest) > 0)) setJump({ messageId: id, status: 'missing' });
    else if (!loadingOlder) loadOlder();
  }, [jump, ready, timeline, hasOlder, loadingOlder, loadOlder, scope]);

  useEffect(() => {
    if (!highlightedId) return;
    const timer = setTimeout(() => setHighlightedId(null), HIGHLIGHT_MS);
    return () => clearTimeout(timer);
  }, [highlightedId]);

  const jumpTo = useCallback((messageId: string) => setJump({ messageId, status: 'finding' }), []);
  const dismiss = useCallback(() => setJump(null), []);
  return { jump, highlightedId, jumpTo, dismiss };
}
