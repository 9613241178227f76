import type { DurableEvent, RoomListItem, RoomMessage } from './room-types';
import { skipToken } from '@tanstack/react-query';
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { trpcErrorCode } from '../api/query-client';
import { trpc } from '../api/trpc';
import { unavailableRetryDelayMs } from '../chat/retry-delay';
import { useConnectionStatus } from '../connection/ConnectionContext';
import { noOneOnline, presenceReducer } from '../presence/online-users';
import { presenceUpdateOf } from '../presence/presence-events';
import { noOneTypingAnywhere, typingByRoomReducer } from '../presence/typing-by-room';
import { applyRoomEvent, markReadLocally } from './room-list-state';

/** Pause before subscribing again after the server ended the stream with an error. */
const RESUBSCRIBE_DELAY_MS = 2_000;

interface Handlers {
  /** A new message in any of the user's rooms (the open room's timeline takes it). */
  onMessage(message: RoomMessage): void;
  /** The user left or was removed from the room on screen. */
  onOpenRoomGone(roomId: string): void;
  /** The stream could not replay: the open room must be read again. */
  onResync(): void;
}

/**
 * The user's rooms and everything live, over ONE subscription: chat.onEvent from the cursor
 * taken before room.list, so the list plus the events after the cursor is complete (events the
 * list already reflects apply as no-ops). The WebSocket client resumes from the last tracked id.
 */
export function useConversations(meId: string, openRoomId: string | null, handlers: Handlers) {
  const utils = trpc.useUtils();
  const cursor = trpc.chat.eventCursor.useQuery(undefined, { staleTime: Infinity, refetchOnReconnect: false });
  const list = trpc.room.list.useQuery(undefined, { enabled: cursor.isSuccess, staleTime: Infinity, refetchOnReconnect: false });

  const [from, setFrom] = useState<{ lastEventId: string | null } | null>(null);
  if (from === null && cursor.isSuccess && list.isSuccess) setFrom({ lastEventId: cursor.data.cursor });

  const [online, dispatchPresence] = useReducer(presenceReducer, noOneOnline);
  const [typing, dispatchTyping] = useReducer(typingByRoomReducer, noOneTypingAnywhere);
  // While the socket is down nobody's typing is known; the resumed stream says who still types.
  const connected = useConnectionStatus().kind === 'connected';
  useEffect(() => {
    if (!connected) dispatchTyping({ type: 'reset' });
  }, [connected]);

  // Read inside the stream's callbacks, which must not change identity (that would resubscribe).
  const latest = useRef({ meId, openRoomId, handlers });
  useEffect(() => {
    latest.current = { meId, openRoomId, handlers };
  });
  const lastSeen = useRef<string | null>(null);
  const failures = useRef(0);
  const retryTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(retryTimer.current), []);

  const applyDurable = (event: DurableEvent) => {
    const { meId, openRoomId, handlers } = latest.current;
    const current = utils.room.list.getData();
    if (current) {
      const applied = applyRoomEvent(current, event, { meId, openRoomId });
      if (applied.list !== current) utils.room.list.setData(undefined, applied.list);
      if (applied.removedOpenRoom) handlers.onOpenRoomGone(event.roomId);
    }
    if (event.type === 'message.created') handlers.onMessage(event.message);
    if (event.type === 'room.joined' || event.type === 'room.left') void utils.room.members.invalidate({ roomId: event.roomId });
  };

  const subscription = trpc.chat.onEvent.useSubscription(from ?? skipToken, {
    // Every item is tracked: its id is the stream's position after it, where a fresh subscription resumes.
    onData: ({ id, data: event }) => {
      failures.current = 0;
      lastSeen.current = id;
      switch (event.type) {
        case 'resync':
          void utils.room.list.invalidate();
          latest.current.handlers.onResync();
          return;
        case 'typing':
          dispatchTyping({ type: 'event', event, meId: latest.current.meId });
          return;
        case 'presence.snapshot':
          // A stream (re)starts: the typing events right after it say who types now, so what
          // was known before (a stop may have been missed) is dropped.
          dispatchTyping({ type: 'reset' });
          dispatchPresence(presenceUpdateOf(event));
          return;
        case 'presence.changed':
          dispatchPresence(presenceUpdateOf(event));
          return;
        // Issue 15's lifecycle events: the web's issue-15 work applies them (the contract commit keeps them inert).
        case 'message.edited':
        case 'message.deleted':
        case 'reaction.changed':
        case 'mentions.updated':
          return;
        default:
          applyDurable(event);
      }
    },
    // Only errors the WebSocket client will not retry land here. A refused token is the
    // session's business (auth.me signs out); anything else: start again from the last event.
    onError: (error) => {
      if (trpcErrorCode(error) === 'UNAUTHORIZED') {
        void utils.auth.me.invalidate();
        return;
      }
      clearTimeout(retryTimer.current);
      const delay = unavailableRetryDelayMs(error, failures.current++) ?? RESUBSCRIBE_DELAY_MS;
      retryTimer.current = setTimeout(() => {
        // A new lastEventId resubscribes by itself; the same one needs an explicit restart.
        if (lastSeen.current !== null && lastSeen.current !== from?.lastEventId) setFrom({ lastEventId: lastSeen.current });
        else restart.current();
      }, delay);
    },
  });
  const restart = useRef(subscription.reset);
  useEffect(() => {
    restart.current = subscription.reset;
  });

  const markRead = trpc.room.markRead.useMutation();
  const markReadMutate = markRead.mutate;
  const read = useCallback(
    (roomId: string, messageId: string) => {
      const current = utils.room.list.getData();
      if (!current) return;
      const next = markReadLocally(current, roomId, messageId);
      if (next === current) return;
      utils.room.list.setData(undefined, next);
      // Best effort: the badge is already clear here; the server tells the other tabs.
      markReadMutate({ roomId, messageId }, { onError: () => void utils.room.list.invalidate() });
    },
    [utils, markReadMutate],
  );

  const rooms: RoomListItem[] | undefined = list.data;
  return {
    rooms,
    // A failed refetch keeps the list it had: only a first load that failed is an error.
    status: rooms ? ('ready' as const) : cursor.isError || list.isError ? ('error' as const) : ('pending' as const),
    retry: () => void (cursor.isError ? cursor.refetch() : list.refetch()),
    online,
    typing,
    read,
  };
}
