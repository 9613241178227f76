import type { QueryClient } from '@tanstack/react-query';
import { getQueryKey } from '@trpc/react-query';
import { sessionHttpLink, type SessionClients } from '../api/session-clients';
import { trpc } from '../api/trpc';
import { HISTORY_PAGE_SIZE, prefetchNewestPage } from '../messages/newest-page-prefetch';
import { roomIdFromPath } from '../rooms/room-route';
import type { Session } from '../session/session-store';

/** Older than this, what was read ahead is not used: the chat reads again. */
const FRESH_MS = 10_000;

type Client = SessionClients['trpcClient'];
interface FirstReads {
  userId: string;
  at: number;
  cursor: Promise<unknown>;
  rooms: Promise<unknown>;
  threads: Promise<unknown>;
}

/** The user whose first reads this page started (set until the session ends), and those reads until the chat takes them. */
let startedFor: string | null = null;
let pending: FirstReads | null = null;

/**
 * Starts the reads a signed-in page waits on before its first message paints (the stream's cursor, then the room
 * list, the followed threads and the open room's newest page), as soon as a session is known: while the chat's
 * code is still on its way, not after it ran (decision 167). The cursor is read first and the rest after it, as
 * the hooks that read them do (use-conversations, use-threads), so the stream from that cursor still covers
 * everything after the snapshots. Called on every render of the app's screens: once per session, and with no
 * session it forgets, so the next sign-in starts again.
 */
export function startFirstReads(session: Session | null): void {
  if (!session) {
    startedFor = null;
    pending = null;
    return;
  }
  if (startedFor === session.user.id) return;
  startedFor = session.user.id;
  const client: Client = trpc.createClient({ links: [sessionHttpLink(() => session.token)] });
  const cursor = client.chat.eventCursor.query();
  const afterCursor = <T>(read: () => Promise<T>) => cursor.then(read);
  const reads: FirstReads = {
    userId: session.user.id,
    at: Date.now(),
    cursor,
    rooms: afterCursor(() => client.room.list.query()),
    threads: afterCursor(() => client.thread.list.query()),
  };
  // Whatever fails here is read again by the chat, whose own errors say what happened.
  for (const read of [reads.cursor, reads.rooms, reads.threads]) read.catch(() => undefined);
  const roomId = roomIdFromPath(window.location.pathname);
  if (roomId !== 'invalid') prefetchNewestPage(session.user.id, roomId, () => afterCursor(() => client.chat.history.query({ roomId, limit: HISTORY_PAGE_SIZE })));
  pending = reads;
}

/**
 * Hands this user's first reads, if fresh, to the chat's query cache under the keys its hooks read: a hook that
 * mounts while one is on its way waits for it rather than asking again. A read that failed is asked again by the
 * query's own retries, through the session's client.
 */
export function adoptFirstReads(userId: string, queryClient: QueryClient, client: Client): void {
  const reads = pending;
  pending = null;
  if (!reads || reads.userId !== userId || Date.now() - reads.at > FRESH_MS) return;
  const adopt = (queryKey: readonly unknown[], early: Promise<unknown>, read: () => Promise<unknown>) => {
    let first: Promise<unknown> | null = early;
    void queryClient.prefetchQuery({
      queryKey,
      queryFn: () => {
        const answer = first ?? read();
        first = null;
        return answer;
      },
      staleTime: Infinity,
    });
  };
  adopt(getQueryKey(trpc.chat.eventCursor, undefined, 'query'), reads.cursor, () => client.chat.eventCursor.query());
  adopt(getQueryKey(trpc.room.list, undefined, 'query'), reads.rooms, () => client.room.list.query());
  adopt(getQueryKey(trpc.thread.list, undefined, 'query'), reads.threads, () => client.thread.list.query());
}
