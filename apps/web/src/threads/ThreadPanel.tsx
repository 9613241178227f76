import type { ThreadPage } from '@chat/api';
import { quoteExcerpt } from '@chat/api/schemas';
import { applyThreadEvent, fromThreadPages, refusalSentence, threadPage, type ThreadView, withOlderThreadPage } from '@chat/client/core';
import { type RefObject, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DurableEvent, ReplyTarget, RoomListItem } from '../api/room-types';
import { type ChatMessage, trpc } from '../api/trpc';
import { useConnectionStatus } from '../connection/ConnectionContext';
import { isChange, type PendingMessage, pendingOf } from '../messages/live-messages';
import { MessageList } from '../messages/MessageList';
import { buildTimeline, lastOwnMessageId } from '../messages/timeline';
import { useJumpToMessage } from '../messages/use-jump-to-message';
import { useMessageActions } from '../messages/use-message-actions';
import { useMessageOps } from '../messages/use-message-ops';
import { useOutbox, useOutboxItems } from '../outbox/OutboxContext';
import { ThreadComposer } from './ThreadComposer';
import './Threads.css';

/** Where the app's one event stream hands events to the open thread. */
export type ThreadSink = RefObject<((event: DurableEvent) => void) | null>;

interface Props {
  rootId: string;
  roomId: string;
  /** The thread's room as the room list has it (its name, who moderates it); null while unknown. */
  room: RoomListItem | null;
  roomName: string;
  me: { id: string; username: string };
  sink: ThreadSink;
  onClose(): void;
  /** Shows a message that is not in the thread (what the root quotes) in its place in the room. */
  onJumpInRoom(messageId: string): void;
}

const noOlder = () => undefined;

/**
 * One thread beside the room (a sheet on a phone): its root and replies from thread.history, folded
 * with the stream's events by the core (`applyThreadEvent`), shown by the room's own message list and
 * actions (reactions, quotes, edit, delete, report, moderation, keyboard), with the user's replies
 * going through the outbox like room messages; the read mark follows the newest reply on screen.
 */
export function ThreadPanel({ rootId, roomId, room, roomName, me, sink, onClose, onJumpInRoom }: Props) {
  const history = trpc.thread.history.useQuery({ rootId, limit: 100 }, { staleTime: Infinity, gcTime: 0, refetchOnReconnect: false });
  const [view, setView] = useState<ThreadView | null>(null);
  // Events that came before the page: applied on top of it (each sets absolute state).
  const early = useRef<DurableEvent[]>([]);
  const current = useRef<ThreadView | null>(null);
  useEffect(() => {
    sink.current = (event) => {
      if (!current.current) early.current.push(event);
      else {
        const next = applyThreadEvent(current.current, event);
        if (next !== current.current) {
          current.current = next;
          setView(next);
        }
      }
    };
    return () => {
      sink.current = null;
    };
  }, [sink]);
  useEffect(() => {
    if (!history.data) return;
    const next = early.current.reduce(applyThreadEvent, fromThreadPages(me.id, null, [history.data as ThreadPage]));
    early.current = [];
    current.current = next;
    setView(next);
  }, [history.data, me.id]);

  // Older replies than the first page's hundred, a page at a time (the list asks when scrolled to its top).
  const utils = trpc.useUtils();
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [olderError, setOlderError] = useState<string | null>(null);
  const olderInFlight = useRef(false);
  const loadOlder = useCallback(() => {
    const cursor = current.current ? threadPage(current.current).nextCursor : null;
    if (!cursor || olderInFlight.current) return;
    olderInFlight.current = true;
    setLoadingOlder(true);
    setOlderError(null);
    utils.client.thread.history
      .query({ rootId, cursor, limit: 100 })
      .then((page) => {
        if (!current.current) return;
        current.current = withOlderThreadPage(current.current, page as ThreadPage);
        setView(current.current);
      })
      .catch((err: unknown) => setOlderError(refusalSentence(err)))
      .finally(() => {
        olderInFlight.current = false;
        setLoadingOlder(false);
      });
  }, [rootId, utils]);

  const replyCount = view?.replies.length ?? 0;
  const newest = view?.replies.at(-1)?.id ?? null;
  const markRead = trpc.thread.markRead.useMutation();
  const marked = useRef<string | null>(null);
  useEffect(() => {
    if (!newest || marked.current === newest || document.visibilityState !== 'visible') return;
    marked.current = newest;
    markRead.mutate({ rootId, messageId: newest });
  }, [newest, rootId, markRead]);

  // The user's replies still in the outbox show in place; a delivered one's answer shows until the
  // stream's copy is in the thread, so it never blinks out in between.
  const outbox = useOutbox();
  const queued = useOutboxItems();
  const connected = useConnectionStatus().kind === 'connected';
  const [answered, setAnswered] = useState<ChatMessage[]>([]);
  useEffect(
    () =>
      outbox.onDelivered((item, result) => {
        if (item.kind === 'reply' && item.input.rootId === rootId) setAnswered((list) => [...list, result as ChatMessage]);
      }),
    [outbox, rootId],
  );
  const pending = useMemo(() => queued.flatMap((item): PendingMessage[] => (item.kind === 'reply' && item.input.rootId === rootId ? [pendingOf(item, connected)] : [])), [queued, rootId, connected]);
  const changes = useMemo(() => queued.filter((item) => isChange(item) && item.roomId === roomId), [queued, roomId]);
  const timeline = useMemo(() => {
    if (!view) return [];
    const page = threadPage(view);
    const held = new Set(page.replies.map((m) => m.id));
    return buildTimeline([[page.root, ...page.replies]], answered.filter((m) => !held.has(m.id)), pending, me, [], true, changes);
  }, [view, answered, pending, me, changes]);

  // A quote of the thread's own messages scrolls the thread; what the root quotes is in the room.
  const jumper = useJumpToMessage({ ready: view !== null, timeline, hasOlder: false, loadingOlder: false, loadOlder: noOlder, scope: '.thread-panel' });
  const latest = useRef({ timeline, jumpInThread: jumper.jumpTo, onJumpInRoom });
  useEffect(() => {
    latest.current = { timeline, jumpInThread: jumper.jumpTo, onJumpInRoom };
  });
  const jumpTo = useCallback((messageId: string) => {
    const { timeline: items, jumpInThread, onJumpInRoom: inRoom } = latest.current;
    if (items.some((i) => i.kind === 'message' && i.message.id === messageId)) jumpInThread(messageId);
    else inRoom(messageId);
  }, []);

  const [quote, setQuote] = useState<ReplyTarget | null>(null);
  const composer = useRef<HTMLTextAreaElement>(null);
  const focusComposer = useCallback(() => composer.current?.focus(), []);
  const ops = useMessageOps(roomId);
  const { actions, editingId, setEditingId, errorLine, overlays } = useMessageActions({
    me,
    room,
    ops,
    reply: (message) => {
      setQuote({ id: message.id, author: message.author, excerpt: quoteExcerpt(message.text), deleted: false });
      focusComposer();
    },
    jumpTo,
    focusComposer,
  });
  const retry = useCallback((p: PendingMessage) => outbox.retry(p.clientMessageId), [outbox]);
  const discard = useCallback((p: PendingMessage) => void outbox.discard(p.clientMessageId), [outbox]);
  const editLast = () => {
    const id = lastOwnMessageId(timeline, me.id);
    if (id) setEditingId(id);
    return id !== null;
  };

  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => closeButton.current?.focus(), [rootId]);

  return (
    <aside
      className="thread-panel glass"
      aria-label="Thread"
      // Escape in the panel closes it; Escape in a dialog or the picker it opened (outside it on the page) is theirs.
      onKeyDown={(e) => e.key === 'Escape' && e.currentTarget.contains(e.target as Node) && (e.stopPropagation(), onClose())}
    >
      <header className="thread-header">
        <div>
          <h2 className="thread-title">Thread</h2>
          <p className="thread-room muted small">{roomName}</p>
        </div>
        <button ref={closeButton} type="button" className="icon-button" aria-label="Close thread" onClick={onClose}>
          ×
        </button>
      </header>
      {history.isError ? (
        <p className="thread-error" role="alert">
          {refusalSentence(history.error)}
        </p>
      ) : !view ? (
        <p className="muted small" aria-busy="true">
          Loading thread…
        </p>
      ) : (
        <>
          <MessageList
            items={timeline}
            me={me}
            hasOlder={!view.complete}
            loadingOlder={loadingOlder}
            loadOlder={loadOlder}
            onRetry={retry}
            onDiscard={discard}
            actions={actions}
            editingId={editingId}
            highlightedId={jumper.highlightedId}
            label="Thread messages"
            beginning={null}
            thread={{ rootId, repliesLabel: `${replyCount} ${replyCount === 1 ? 'reply' : 'replies'}` }}
          />
          {errorLine}
          {olderError && (
            <p className="thread-error" role="alert">
              {olderError}
            </p>
          )}
          <ThreadComposer ref={composer} rootId={rootId} roomId={roomId} meId={me.id} quote={quote} onCancelQuote={() => setQuote(null)} onSent={() => setQuote(null)} onEditLast={editLast} />
        </>
      )}
      {overlays}
    </aside>
  );
}
