import type { trpc } from '../api/trpc';

type HistoryPage = Awaited<ReturnType<ReturnType<typeof trpc.useUtils>['client']['chat']['history']['query']>>;

/** The page size of a room's history, read by the prefetch and the timeline's first page alike. */
export const HISTORY_PAGE_SIZE = 50;

/** Older than this, a prefetched page is not used: the room opened much later reads again. */
const FRESH_MS = 10_000;

let prefetched: { readerId: string; roomId: string; at: number; page: Promise<HistoryPage> } | null = null;

/**
 * Starts reading the newest page of the room a page load opens, with the session's first reads
 * (`shell/first-reads.ts`): alongside room.list, not after it (one round trip less before the first
 * message paints, decisions 151 and 167). `read` reads after the stream's cursor, like the timeline's
 * own read, so the stream still covers everything after it.
 */
export function prefetchNewestPage(readerId: string, roomId: string, read: () => Promise<HistoryPage>): void {
  if (prefetched?.readerId === readerId && prefetched.roomId === roomId) return;
  const page = read();
  // Not taken is not a failure: the timeline reads again.
  page.catch(() => undefined);
  prefetched = { readerId, roomId, at: Date.now(), page };
}

/** The prefetched newest page of this room for this reader, once: null when there is none, or it is stale. */
export function takeNewestPage(readerId: string, roomId: string): Promise<HistoryPage> | null {
  const taken = prefetched;
  if (!taken || taken.readerId !== readerId || taken.roomId !== roomId) return null;
  prefetched = null;
  return Date.now() - taken.at < FRESH_MS ? taken.page : null;
}
