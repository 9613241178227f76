import { type MessageChange, reactionChangeOfAnswer } from '@chat/client/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import type { ReplyTarget } from '../api/room-types';
import { type ChatMessage, trpc } from '../api/trpc';
import { newClientMessageId } from '@chat/client/core';
import { emptyLiveState, liveReducer, type PendingMessage } from './live-messages';
import { sendErrorMessage } from '../composer/send-errors';
import { sendWithRetry } from '../composer/send-retry';
import { buildTimeline } from './timeline';

const PAGE_SIZE = 50;

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
    queryFn: ({ pageParam, signal }) => utils.client.chat.history.query({ roomId, limit: PAGE_SIZE, ...(pageParam ? { before: pageParam } : {}) }, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextBefore,
    // The event stream keeps the open room current; refetching would only reshuffle pages.
    staleTime: Infinity,
    refetchOnReconnect: false,
    // Live messages live in this hook: a room opened again is read again, never from a stale cache.
    gcTime: 0,
  });

  const [live, dispatch] = useReducer(liveReducer, emptyLiveState);
  // Sends in progress (retried by themselves while the server is unavailable): their cancels.
  const sends = useRef(new Map<string, () => void>());
  useEffect(
    () => () => {
      for (const cancel of sends.current.values()) cancel();
    },
    [],
  );

  /** A message of this room from the one event stream (or a send's answer): merged by id, so twice is once. */
  const receive = useCallback((message: ChatMessage) => dispatch({ type: 'received', message }), []);

  /** An edit, delete or reaction (the stream's, or the answer to the user's own): applied over every page. */
  const change = useCallback((c: MessageChange) => dispatch({ type: 'changed', change: c }), []);

  const sendNow = useCallback(
    (clientMessageId: string, text: string, replyTo: ReplyTarget | null) => {
      const pendingSends = sends.current;
      pendingSends.get(clientMessageId)?.();
      dispatch({ type: 'sending', clientMessageId, text, createdAt: new Date().toISOString(), replyTo });
      // While the server's database is down the message stays pending and goes again by itself,
      // with the same clientMessageId, so an attempt that did get stored is not stored twice.
      const settle = () => pendingSends.delete(clientMessageId);
      pendingSends.set(
        clientMessageId,
        sendWithRetry(() => utils.client.chat.send.mutate({ roomId, text, clientMessageId, ...(replyTo ? { replyTo: replyTo.id } : {}) }), {
          sent: (message) => {
            settle();
            dispatch({ type: 'received', message });
          },
          failed: (error) => {
            settle();
            dispatch({ type: 'failed', clientMessageId, error: sendErrorMessage(error) });
          },
        }),
      );
    },
    [utils, roomId],
  );

  const send = useCallback((text: string, replyTo: ReplyTarget | null = null) => sendNow(newClientMessageId(), text, replyTo), [sendNow]);
  // The same clientMessageId again: if the first attempt did reach the server, it is not stored twice.
  const retry = useCallback((p: PendingMessage) => sendNow(p.clientMessageId, p.text, p.replyTo ?? null), [sendNow]);

  // The answers apply at once; the stream's events for the same change then apply as no-ops.
  const edit = useCallback(async (messageId: string, text: string) => change({ type: 'message.edited', message: await utils.client.chat.edit.mutate({ messageId, text }) }), [utils, change]);
  const remove = useCallback(
    async (messageId: string, reason?: string) => {
      const placeholder = await utils.client.chat.delete.mutate(reason === undefined ? { messageId } : { messageId, reason });
      if (placeholder.deleted) change({ type: 'message.deleted', messageId, deleted: placeholder.deleted });
    },
    [utils, change],
  );
  const react = useCallback(
    async (messageId: string, emoji: string, on: boolean) => change(reactionChangeOfAnswer(await utils.client.chat.react.mutate({ messageId, emoji, on }), emoji, on, me)),
    [utils, change, me],
  );
  const discard = useCallback((p: PendingMessage) => {
    sends.current.get(p.clientMessageId)?.();
    sends.current.delete(p.clientMessageId);
    dispatch({ type: 'discarded', clientMessageId: p.clientMessageId });
  }, []);

  const pages = history.data?.pages;
  const complete = history.hasNextPage === false;
  const timeline = useMemo(
    () => buildTimeline(pages?.map((p) => p.messages) ?? [], live.live, live.pending, me, live.changes, complete),
    [pages, live, me, complete],
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
    react,
    retry,
    discard,
  };
}
