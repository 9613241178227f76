import type { ThreadListItem } from '@chat/api';
import { applyThreadListEvent, fromThreadList, threadList, type ThreadListState } from '@chat/client/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DurableEvent } from '../api/room-types';
import { trpc } from '../api/trpc';

/**
 * The followed threads (the Threads view and its badge), folded by the shared core from
 * thread.list read after the stream's cursor plus the events after it (`applyThreadListEvent`).
 * A rejoined room or a resync makes the fold stale: the list is read again from the fold's cursor
 * and the events since are applied on top, as the room list does.
 */
export function useThreads(meId: string) {
  const cursor = trpc.chat.eventCursor.useQuery(undefined, { staleTime: Infinity, refetchOnReconnect: false });
  const list = trpc.thread.list.useQuery(undefined, { enabled: cursor.isSuccess, staleTime: Infinity, refetchOnReconnect: false });
  const utils = trpc.useUtils();
  const fold = useRef<{ state: ThreadListState | null; base: string | null; since: DurableEvent[]; rows: ThreadListItem[] | null }>({ state: null, base: null, since: [], rows: null });
  const [view, setView] = useState<ThreadListState | null>(null);

  useEffect(() => {
    const f = fold.current;
    if (!list.data || !cursor.data || list.data === f.rows) return;
    f.rows = list.data;
    const base = f.state ? f.base : cursor.data.cursor;
    const next = f.since.reduce(applyThreadListEvent, fromThreadList(meId, base, list.data));
    f.state = next;
    f.since = [];
    setView(next);
  }, [list.data, cursor.data, meId]);

  /** One durable event from the app's stream. */
  const apply = useCallback(
    (event: DurableEvent) => {
      const f = fold.current;
      f.since.push(event);
      if (!f.state) return;
      const next = applyThreadListEvent(f.state, event);
      if (next === f.state) return;
      if (next.stale) {
        // Read the list again from here; the events after it go on top when it comes.
        f.base = f.state.cursor;
        f.since = [];
        f.state = { ...next, stale: false };
        void utils.thread.list.invalidate();
      } else f.state = next;
      setView(f.state);
    },
    [utils],
  );

  /** The stream resynced: read the list again from the fold's cursor, with the events after it on top. */
  const refetch = useCallback(() => {
    const f = fold.current;
    if (!f.state) return;
    f.base = f.state.cursor;
    f.since = [];
    void utils.thread.list.invalidate();
  }, [utils]);

  /** Whether the user follows the thread of `rootId`, as of the last event applied. */
  const follows = useCallback((rootId: string) => fold.current.state?.threads[rootId] !== undefined, []);

  const threads = view ? threadList(view) : null;
  return {
    follows,
    threads,
    unread: threads?.reduce((n, t) => n + t.unread, 0) ?? 0,
    mentions: threads?.reduce((n, t) => n + t.mentions, 0) ?? 0,
    apply,
    refetch,
  };
}
