import { skipToken, useInfiniteQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { trpcErrorCode } from '../api/query-client';
import { type ChatMessage, trpc } from '../api/trpc';
import { newClientMessageId } from './client-message-id';
import { emptyLiveState, liveReducer, type PendingMessage } from './live-messages';
import { compareIds, latestId } from './message-order';
import { unavailableRetryDelayMs } from './retry-delay';
import { sendErrorMessage } from './send-errors';
import { sendWithRetry } from './send-retry';
import { buildTimeline } from './timeline';

const PAGE_SIZE = 50;
/** Pause before subscribing again after the server ended the subscription with an error. */
const RESUBSCRIBE_DELAY_MS = 2_000;

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
  // The newest id delivered so far: where a fresh subscription continues after an error.
  const lastSeen = useRef<string | null>(null);
  const noteSeen = (id: string | null) => {
    if (id !== null && (lastSeen.current === null || compareIds(id, lastSeen.current) > 0)) lastSeen.current = id;
  };
  noteSeen(firstPage ? latestId(firstPage.messages) : null);
  const retryTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // Subscription errors in a row, for the backoff while the server is unavailable.
  const subscriptionFailures = useRef(0);
  // Sends in progress (retried by themselves while the server is unavailable): their cancels.
  const sends = useRef(new Map<string, () => void>());
  useEffect(
    () => () => {
      clearTimeout(retryTimer.current);
      for (const cancel of sends.current.values()) cancel();
    },
    [],
  );

  const subscription = trpc.chat.onMessage.useSubscription(resume ? { lastEventId: resume.from } : skipToken, {
    // With no id to resume from (an empty room), a message posted between the history read and
    // the subscription would be lost: read the newest page again once live delivery has begun.
    onStarted: () => {
      if (resume?.from !== null) return;
      utils.client.chat.history
        .query({ limit: PAGE_SIZE })
        .then((page) =>
          page.messages.forEach((message) => {
            noteSeen(message.id);
            dispatch({ type: 'received', message });
          }),
        )
        .catch(() => undefined);
    },
    // Tracked events arrive as { id, data }; the id is the message id the client resumes from.
    onData: ({ data: message }) => {
      subscriptionFailures.current = 0;
      noteSeen(message.id);
      dispatch({ type: 'received', message });
      onIncoming?.(message);
    },
    // Only errors the WebSocket client will not retry land here. A refused token is the
    // session's business (auth.me signs out); anything else: start again from the last message.
    onError: (error) => {
      if (trpcErrorCode(error) === 'UNAUTHORIZED') {
        void utils.auth.me.invalidate();
        return;
      }
      clearTimeout(retryTimer.current);
      // While the server's database is down, back off (its hint, doubling) rather than every 2 s.
      const delay = unavailableRetryDelayMs(error, subscriptionFailures.current++) ?? RESUBSCRIBE_DELAY_MS;
      retryTimer.current = setTimeout(() => {
        // A new lastEventId resubscribes by itself; the same one needs an explicit restart.
        if (lastSeen.current !== resume?.from) setResume({ from: lastSeen.current });
        else restart.current();
      }, delay);
    },
  });

  const restart = useRef(subscription.reset);
  useEffect(() => {
    restart.current = subscription.reset;
  });

  const sendNow = useCallback(
    (clientMessageId: string, text: string) => {
      const pendingSends = sends.current;
      pendingSends.get(clientMessageId)?.();
      dispatch({ type: 'sending', clientMessageId, text, createdAt: new Date().toISOString() });
      // While the server's database is down the message stays pending and goes again by itself,
      // with the same clientMessageId, so an attempt that did get stored is not stored twice.
      const settle = () => pendingSends.delete(clientMessageId);
      pendingSends.set(
        clientMessageId,
        sendWithRetry(() => utils.client.chat.send.mutate({ text, clientMessageId }), {
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
    [utils],
  );

  const send = useCallback((text: string) => sendNow(newClientMessageId(), text), [sendNow]);
  // The same clientMessageId again: if the first attempt did reach the server, it is not stored twice.
  const retry = useCallback((p: PendingMessage) => sendNow(p.clientMessageId, p.text), [sendNow]);
  const discard = useCallback((p: PendingMessage) => {
    sends.current.get(p.clientMessageId)?.();
    sends.current.delete(p.clientMessageId);
    dispatch({ type: 'discarded', clientMessageId: p.clientMessageId });
  }, []);

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
