import { trpc } from '../api/trpc';
import { fileUrl } from './files-url';

/** Ask again this long before a ticket runs out, so an <img> never loads with a dead one. */
const RENEW_BEFORE_MS = 30_000;

/**
 * A short-lived URL for one attachment (`file.ticket`): an <img> cannot send the Authorization header
 * (docs/decisions/140-web-loads-files-with-tickets.md). Cached per attachment and renewed before it expires.
 */
export function useFileTicket(attachmentId: string, enabled = true) {
  const query = trpc.file.ticket.useQuery(
    { attachmentId },
    {
      enabled,
      staleTime: ({ state }) => (state.data ? Math.max(0, Date.parse(state.data.expiresAt) - Date.now() - RENEW_BEFORE_MS) : 0),
      refetchInterval: ({ state }) => (state.data ? Math.max(5_000, Date.parse(state.data.expiresAt) - Date.now() - RENEW_BEFORE_MS) : false),
      // A file the reader may no longer read (removed from the room, message deleted) stays unreadable.
      retry: false,
    },
  );
  const data = query.data;
  return {
    url: data ? fileUrl(data.url) : null,
    thumbnailUrl: data?.thumbnailUrl ? fileUrl(data.thumbnailUrl) : null,
    failed: query.isError,
  };
}
