import type { DurableEvent, MessageChangeEvent, NotificationStreamEvent, RoomListItem, RoomMessage, StreamEvent } from '../api/room-types';
import { applyEvent, compareIds, errorCode, fromRoomList, markRead, resumable, retryableDelayMs, roomList, type RoomState } from '@chat/client/core';
import { hashKey, useQueryClient } from '@tanstack/react-query';
import { getQueryKey } from '@trpc/react-query';
import { startTransition, useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { trpc } from '../api/trpc';
import { useConnectionStatus } from '../connection/ConnectionContext';
import { noOneOnline, presenceReducer } from '../people/online-users';
import { presenceUpdateOf } from '../people/presence-events';
import { createReadMarkSender } from './read-mark-sender';
import { roleChanged } from '../account/role-changed';
import { noOneTypingAnywhere, typingByRoomReducer } from '../people/typing-by-room';

/** Pause before subscribing again after the server ended the stream with an error the shared policy would give up on. */
const RESUBSCRIBE_DELAY_MS = 2_000;

/**
 * The shared retry policy (`retryableDelayMs`, as the bot client's), and for the rest what a page
 * must do that a bot need not: keep trying. A refused token is the session's business (auth.me).
 */
const resumeDelay = (error: unknown, attempt: number) => (errorCode(error) === 'UNAUTHORIZED' ? null : (retryableDelayMs(error, attempt) ?? RESUBSCRIBE_DELAY_MS));

interface Handlers {
  /** A new message in any of the user's rooms (the open room's timeline takes it). */
  onMessage(message: RoomMessage): void;
  /** An edit, delete or reaction in any of the user's rooms (the open room's timeline takes it). */
  onMessageChange(event: MessageChangeEvent): void;
  /** The user left or was removed from the room on screen. */
  onOpenRoomGone(roomId: string): void;
  /** The stream could not replay: the open room must be read again. */
  onResync(): void;
  /** The user's notification settings or another device's focus changed (docs/decisions/149, 150). */
  onNotificationEvent?(event: NotificationStreamEvent): void;
  /** Every durable event, after the rooms took it (the threads' fold takes what is theirs). */
  onDurable?(event: DurableEvent): void;
}

/** Durable events arrive as `tracked(id, event)` (`{ id, data }`); anything else as it is. */
const untracked = (item: unknown): StreamEvent =>
  (item && typeof item === 'object' && 'id' in item && 'data' in item && !('type' in item) ? item.data : item) as StreamEvent;

/**
 * The user's rooms and everything live, over ONE subscription: chat.onEvent from the cursor
 * taken before room.list, folded by the shared client core (`fromRoomList`, `applyEvent`), so the
 * list plus the events after the cursor is what a fresh room.list says (events the list already
 * reflects apply as no-ops). The stream resumes by the core's loop (`resumable`), as the bot client's.
 */
export function useConversations(meId: string, openRoomId: string | null, handlers: Handlers) {
  const utils = trpc.useUtils();
  const queryClient = useQueryClient();
  const cursor = trpc.chat.eventCursor.useQuery(undefined, { staleTime: Infinity, refetchOnReconnect: false });
  const list = trpc.room.list.useQuery(undefined, { enabled: cursor.isSuccess, staleTime: Infinity, refetchOnReconnect: false });

  // The fold: written by the stream's handler, read back by render through `view`.
  const fold = useRef<{ state: RoomState | null; rows: RoomListItem[] | null; refetchFrom: string | null; since: DurableEvent[] }>({
    state: null,
    rows: null,
    refetchFrom: null,
    since: [],
  });
  const [view, setView] = useState<RoomState | null>(null);
  /** Where the one subscription starts: the cursor read before the first room.list, fixed for the page's life. */
  const [from, setFrom] = useState<string | null>(null);
  const commit = useCallback((next: RoomState) => {
    fold.current.state = next;
    setView(next);
  }, []);

  // A refetched room.list (after a resync, a create, a failed markRead) is a new snapshot: read
  // after the cursor its fetch started at, so it is rebuilt from there with the events applied
  // since on top. (Replacing the list outright lost an event committed during the refetch.)
  useEffect(() => {
    const listHash = hashKey(getQueryKey(trpc.room.list, undefined, 'query'));
    return queryClient.getQueryCache().subscribe((e) => {
      if (e.type !== 'updated' || e.query.queryHash !== listHash) return;
      const f = fold.current;
      if (e.action.type === 'fetch' && f.state && f.refetchFrom === null) {
        f.refetchFrom = f.state.cursor;
        f.since = [];
      } else if (e.action.type === 'error') {
        f.refetchFrom = null;
        f.since = [];
      }
    });
  }, [queryClient]);
  useEffect(() => {
    const f = fold.current;
    if (!list.data || !cursor.data || list.data === f.rows) return;
    f.rows = list.data;
    if (!f.state) setFrom(cursor.data.cursor);
    // Events the stream brought while this list was being fetched: their ids are after `from`.
    let next = fromRoomList(meId, f.state ? (f.refetchFrom ?? f.state.cursor) : cursor.data.cursor, list.data);
    for (const event of f.since) next = applyEvent(next, event);
    f.refetchFrom = null;
    f.since = [];
    if (f.state) commit(next);
    else {
      // The first list mounts the room (sidebar, header, timeline, composer): rendered in slices the
      // browser may interrupt rather than as one task (decision 160); the fold has it at once.
      f.state = next;
      startTransition(() => setView(next));
    }
  }, [list.data, cursor.data, meId, commit]);

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

  /** Positions the fold read ahead for the open room (below), not yet sent: the view's read() sends them. */
  const readAhead = useRef(new Map<string, string>());
  const applyDurable = (event: DurableEvent) => {
    const { openRoomId, handlers } = latest.current;
    const f = fold.current;
    const before = f.state;
    if (before) {
      if (f.refetchFrom !== null) f.since.push(event);
      let next = applyEvent(before, event);
      // The room on screen, while the user looks at it: its new message is read as it comes (the
      // view marks it read on the server), so its badge never flashes.
      if (event.type === 'message.created' && event.roomId === openRoomId) {
        const read = markRead(next, event.roomId, event.message.id);
        if (read !== next) readAhead.current.set(event.roomId, event.message.id);
        next = read;
      }
      if (next !== before) commit(next);
      if (before.rooms[event.roomId] && !next.rooms[event.roomId] && event.roomId === openRoomId) handlers.onOpenRoomGone(event.roomId);
    }
    if (event.type === 'message.created') handlers.onMessage(event.message);
    if (event.type === 'message.edited' || event.type === 'message.deleted' || event.type === 'reaction.changed' || event.type === 'message.preview' || event.type === 'user.updated' || event.type === 'thread.updated') handlers.onMessageChange(event);
    handlers.onDurable?.(event);
    if (event.type === 'room.joined' || event.type === 'room.left') void utils.room.members.invalidate({ roomId: event.roomId });
    // A new picture (or name): the member list shows it; the open room's messages fold it in (onMessageChange).
    if (event.type === 'user.updated') {
      void utils.room.members.invalidate({ roomId: event.roomId });
      void utils.user.profile.invalidate({ userId: event.user.id });
      if (event.user.id === meId) void utils.auth.me.invalidate();
    }
  };

  /** The stream has started once: a later presence.snapshot is a restart, after which the role is read again. */
  const streamStarted = useRef(false);
  const handle = (event: StreamEvent) => {
    switch (event.type) {
      case 'resync': {
        // Its id is the stream's new position: the room list is read again after it (the refetch
        // starts from this cursor), and the open room too.
        if (fold.current.state) commit(applyEvent(fold.current.state, event));
        void utils.room.list.invalidate();
        latest.current.handlers.onResync();
        return;
      }
      case 'typing':
        dispatchTyping({ type: 'event', event, meId: latest.current.meId });
        return;
      case 'presence.snapshot':
        // A stream (re)starts: the typing events right after it say who types now, so what
        // was known before (a stop may have been missed) is dropped.
        dispatchTyping({ type: 'reset' });
        dispatchPresence(presenceUpdateOf(event));
        // role.changed is not replayed: one made while this stream was down is read back on a restart.
        // Nor are notifications.changed and focus.changed: the settings are read again too.
        if (streamStarted.current) {
          void utils.auth.role.invalidate();
          void utils.notifications.get.invalidate();
        }
        streamStarted.current = true;
        return;
      case 'role.changed':
        roleChanged(utils, event);
        return;
      case 'presence.changed':
        dispatchPresence(presenceUpdateOf(event));
        return;
      case 'notifications.changed':
      case 'focus.changed':
        latest.current.handlers.onNotificationEvent?.(event);
        return;
      default:
        applyDurable(event);
    }
  };
  const latestHandle = useRef(handle);
  useEffect(() => {
    latestHandle.current = handle;
  });

  // One subscription from the snapshot's cursor for the page's life: wsLink resumes a dropped
  // socket from the last tracked id, and the core's loop reopens a stream the server ended.
  useEffect(() => {
    if (from === null) return;
    const stream = resumable<StreamEvent>(
      {
        now: async () => from,
        open: (lastEventId, h) => {
          const subscription = utils.client.chat.onEvent.subscribe({ lastEventId, threads: true }, { ...h, onData: (item) => h.onData(untracked(item)) });
          return () => subscription.unsubscribe();
        },
        idOf: (event) => ('eventId' in event ? event.eventId : null),
      },
      (event) => latestHandle.current(event),
      from,
      (error) => {
        if (errorCode(error) === 'UNAUTHORIZED') void utils.auth.me.invalidate();
      },
      resumeDelay,
    );
    return () => void stream.stop();
  }, [from, utils]);

  // Best effort: the badge is already clear here; the server tells the other tabs, once a second at most.
  // Through the plain client: a useMutation here re-rendered the whole chat screen twice per read mark.
  const readSender = useMemo(
    () => createReadMarkSender((roomId, messageId) => void utils.client.room.markRead.mutate({ roomId, messageId }).catch(() => void utils.room.list.invalidate())),
    [utils],
  );
  useEffect(() => () => readSender.flushAll(), [readSender]);
  const read = useCallback(
    (roomId: string, messageId: string) => {
      const current = fold.current.state;
      if (!current) return;
      const next = markRead(current, roomId, messageId);
      const unsent = readAhead.current.get(roomId);
      // Tell the server when the position moved here, or reached what the fold read ahead for it.
      if (next === current && (unsent === undefined || compareIds(messageId, unsent) < 0)) return;
      if (unsent !== undefined && compareIds(messageId, unsent) >= 0) readAhead.current.delete(roomId);
      if (next !== current) commit(next);
      readSender.mark(roomId, messageId);
    },
    [readSender, commit],
  );

  const rooms = useMemo(() => (view ? roomList(view) : undefined), [view]);
  // A failed refetch keeps the list it had: only a first load that failed is an error.
  const status = rooms ? ('ready' as const) : cursor.isError || list.isError ? ('error' as const) : ('pending' as const);
  const { refetch: refetchCursor } = cursor;
  const { refetch: refetchList } = list;
  const cursorFailed = cursor.isError;
  const retry = useCallback(() => void (cursorFailed ? refetchCursor() : refetchList()), [cursorFailed, refetchCursor, refetchList]);
  // One object while nothing in it changed: the room pane is memoised on it (decision 160).
  return useMemo(() => ({ rooms, status, retry, online, typing, read }), [rooms, status, retry, online, typing, read]);
}
