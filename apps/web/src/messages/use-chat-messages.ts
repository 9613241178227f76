import { type MessageChange, newClientMessageId, type OutboxFile, reactionChangeOfAnswer } from '@chat/client/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useReducer } from 'react';
import type { ReplyTarget } from '../api/room-types';
import { type ChatMessage, trpc } from '../api/trpc';
import { useConnectionStatus } from '../connection/ConnectionContext';
import { useOutbox, useOutboxItems } from '../outbox/OutboxContext';
import { emptyLiveState, isChange, liveReducer, type PendingMessage, pendingOf } from './live-messages';
import { useMessageOps } from './use-message-ops';
import { HISTORY_PAGE_SIZE, takeNewestPage } from './newest-page-prefetch';
import { buildTimeline } from './timeline';

const PAGE_SIZE = HISTORY_PAGE_SIZE;

type ReactAnswer = Parameters<typeof reactionChangeOfAnswer>[0];

/**
 * One room's messages: history pages (older ones on demand), live messages handed over from
 * the app's one event stream (`receive`), and the user's pending sends, joined into one timeline.
 * The stream is live from a cursor taken before this room is read, so nothing falls in between.
 */
export function useChatMessages(roomId: string, me: { id: string; username: string }) {
  const utils = trpc.useUtils();
  // tRPC's own infinite helper wants an input named `cursor`; the API pages with `before`.
  const history = useInfiniteQuery({
    queryKey: [['chat', 'history'], { type: 'infinite', roomId, limit: PAGE_SIZE }],
    queryFn: ({ pageParam, signal }) => {
      const read = () => utils.client.chat.history.query({ roomId, limit: PAGE_SIZE, ...(pageParam ? { before: pageParam } : {}) }, { signal });
      // The page load's first read may have started already (newest-page-prefetch); a failed one is read again.
      const prefetched = pageParam ? null : takeNewestPage(me.id, roomId);
      return prefetched ? prefetched.catch(read) : read();
    },
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextBefore,
    // The event stream keeps the open room current; refetching would only reshuffle pages.
    staleTime: Infinity,
    refetchOnReconnect: false,
    // Live messages live in this hook: a room opened again is read again, never from a stale cache.
    gcTime: 0,
  });

  const [live, dispatch] = useReducer(liveReducer, emptyLiveState);

  /** A message of this room from the one event stream (or a send's answer): merged by id, so twice is once. */
  const receive = useCallback((message: ChatMessage) => dispatch({ type: 'received', message }), []);

  /** An edit, delete or reaction (the stream's, or the answer to the user's own): applied over every page. */
  const change = useCallback((c: MessageChange) => dispatch({ type: 'changed', change: c }), []);

  // The user's sends, edits and reactions go through the account's outbox (decision 133): kept
  // across reloads, sent in order once connected, each retried with the same input until it lands.
  const outbox = useOutbox();
  const queued = useOutboxItems();
  const connected = useConnectionStatus().kind === 'connected';
  // The answers apply at once; the stream's events for the same change then apply as no-ops.
  useEffect(
    () =>
      outbox.onDelivered((item, result) => {
        if (item.roomId !== roomId) return;
        if (item.kind === 'send') receive(result as ChatMessage);
        // A thread reply also sent to the room is a room message; a thread-only one is the thread's.
        else if (item.kind === 'reply') {
          if ((result as ChatMessage).alsoInRoom) receive(result as ChatMessage);
        } else if (item.kind === 'edit') change({ type: 'message.edited', message: result as ChatMessage });
        else change(reactionChangeOfAnswer(result as ReactAnswer, item.input.emoji, item.input.on, me));
      }),
    [outbox, roomId, receive, change, me],
  );

  const pending = useMemo(
    () => queued.flatMap((item): PendingMessage[] => (item.kind === 'send' && item.roomId === roomId ? [pendingOf(item, connected)] : [])),
    [queued, roomId, connected],
  );
  /** Edits and reactions of this room the server refused for good: shown with why, until dismissed. */
  const refusedChanges = useMemo(() => queued.filter((item) => isChange(item) && item.roomId === roomId && item.state.status === 'failed'), [queued, roomId]);
  /** Edits and reactions of this room still on their way: shown in place, marked pending, until answered. */
  const queuedChanges = useMemo(() => queued.filter((item) => isChange(item) && item.roomId === roomId), [queued, roomId]);

  const send = useCallback(
    (text: string, replyTo: ReplyTarget | null = null, attachmentIds?: string[], files?: OutboxFile[]) =>
      outbox.add(
        {
          kind: 'send',
          input: { roomId, text, clientMessageId: newClientMessageId(), ...(replyTo ? { replyTo: replyTo.id } : {}), ...(attachmentIds?.length && !files?.length ? { attachmentIds } : {}) },
          quote: replyTo,
          // Typed offline: the files themselves, kept with the item until it is delivered.
          ...(files?.length ? { files } : {}),
        },
        roomId,
      ),
    [outbox, roomId],
  );
  // The same clientMessageId again: if the first attempt did reach the server, it is not stored twice.
  const retry = useCallback((p: PendingMessage) => outbox.retry(p.clientMessageId), [outbox]);
  const discard = useCallback((p: PendingMessage) => void outbox.discard(p.clientMessageId), [outbox]);

  const { edit, remove, removePreview, react } = useMessageOps(roomId, change);

  const pages = history.data?.pages;
  const complete = history.hasNextPage === false;
  const timeline = useMemo(
    () => buildTimeline(pages?.map((p) => p.messages) ?? [], live.live, pending, me, live.changes, complete, queuedChanges),
    [pages, live, pending, me, complete, queuedChanges],
  );

  return {
    timeline,
    status: history.status,
    error: history.error,
    refetch: history.refetch,
    hasOlder: history.hasNextPage,
    loadingOlder: history.isFetchingNextPage,
    loadOlder: history.fetchNextPage,
    receive,
    change,
    send,
    edit,
    remove,
    removePreview,
    react,
    retry,
    discard,
    refusedChanges,
    dismissRefused: (id: string) => void outbox.discard(id),
  };
}
