import { skipToken, useInfiniteQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useReducer, useState } from 'react';
import { type ChatMessage, trpc } from '../api/trpc';
import { newClientMessageId } from './client-message-id';
import { emptyLiveState, liveReducer, type PendingMessage } from './live-messages';
import { latestId } from './message-order';
import { sendErrorMessage } from './send-errors';
import { buildTimeline } from './timeline';

const PAGE_SIZE = 50;

/**
 * The whole chat state: history pages (older ones on demand), live messages from the
 * subscription, and the user's pending sends, joined into one timeline.
 */
export function useChatMessages(me: { id: string; username: string }, onIncoming?: (message: ChatMessage) => void) {
  const utils = trpc.useUtils();
  // tRPC's own infinite helper wants an input named `cursor`; the API pages with `before`.
  const history = useInfiniteQuery({
    queryKey: [['chat', 'history'], { type: 'infinite', limit: PAGE_SIZE }],
    queryFn: ({ pageParam, signal }) => utils.client.chat.history.query({ limit: PAGE_SIZE, ...(pageParam ? { before: pageParam } : {}) }, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextBefore,
    // The subscription keeps the list current; refetching would only reshuffle pages.
    staleTime: Infinity,
    refetchOnReconnect: false,
  });

  const [live, dispatch] = useReducer(liveReducer, emptyLiveState);

  // Subscribe only once the first page is in, from its newest id, so nothing falls in between.
  // The WebSocket client then carries the last tracked id across reconnects by itself.
  const [resume, setResume] = useState<{ from: string | null } | null>(null);
  const firstPage = history.data?.pages[0];
  if (firstPage && resume === null) setResume({ from: latestId(firstPage.messages) });

  const subscription = trpc.chat.onMessage.useSubscription(resume ? { lastEventId: resume.from } : skipToken, {
    // With no id to resume from (an empty room), a message posted between the history read and
    // the subscription would be lost: read the newest page again once live delivery has begun.
    onStarted: () => {
      if (resume?.from !== null) return;
      utils.client.chat.history
        .query({ limit: PAGE_SIZE })
        .then((page) => page.messages.forEach((message) => dispatch({ type: 'received', message })))
        .catch(() => undefined);
    },
    // Tracked events arrive as { id, data }; the id is the message id the client resumes from.
    onData: ({ data: message }) => {
      dispatch({ type: 'received', message });
      onIncoming?.(message);
    },
    // Only unrecoverable errors land here; start over from the last message we hold.
    onError: () => setResume({ from: latestId(live.live) ?? resume?.from ?? null }),
  });

  const sendNow = useCallback(
    (clientMessageId: string, text: string) => {
      dispatch({ type: 'sending', clientMessageId, text, createdAt: new Date().toISOString() });
      utils.client.chat.send
        .mutate({ text, clientMessageId })
        .then((message) => dispatch({ type: 'received', message }))
        .catch((error: unknown) => dispatch({ type: 'failed', clientMessageId, error: sendErrorMessage(error) }));
    },
    [utils],
  );

  const send = useCallback((text: string) => sendNow(newClientMessageId(), text), [sendNow]);
  // The same clientMessageId again: if the first attempt did reach the server, it is not stored twice.
  const retry = useCallback((p: PendingMessage) => sendNow(p.clientMessageId, p.text), [sendNow]);
  const discard = useCallback((p: PendingMessage) => dispatch({ type: 'discarded', clientMessageId: p.clientMessageId }), []);

  const pages = history.data?.pages;
  const timeline = useMemo(() => buildTimeline(pages?.map((p) => p.messages) ?? [], live.live, live.pending, me), [pages, live, me]);

  return {
    timeline,
    status: history.status,
    error: history.error,
    refetch: history.refetch,
    hasOlder: history.hasNextPage,
    loadingOlder: history.isFetchingNextPage,
    loadOlder: history.fetchNextPage,
    subscriptionStatus: subscription.status,
    send,
    retry,
    discard,
  };
}
