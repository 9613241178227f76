import { avatarPath } from '@chat/api/schemas';
import { type ReactNode, useCallback } from 'react';
import { trpc } from '../api/trpc';
import { apiEndpoints } from '../api/api-endpoints';
import { type AvatarOf, AvatarSourceContext } from '../ui/avatar-source';

/** Ask again this long before the ticket runs out, so no <img> is made with a dead one. */
const RENEW_BEFORE_MS = 5 * 60_000;

const serverBase = () => apiEndpoints().httpUrl.replace(/\/trpc\/?$/, '');

/**
 * One avatar ticket for the whole page (user.avatarTicket, an hour long), renewed before it ends: every avatar's
 * URL is its version's path plus this ticket, so the browser caches each picture until the ticket changes.
 */
export function AvatarSourceProvider({ children }: { children: ReactNode }) {
  const query = trpc.user.avatarTicket.useQuery(undefined, {
    staleTime: ({ state }) => (state.data ? Math.max(0, Date.parse(state.data.expiresAt) - Date.now() - RENEW_BEFORE_MS) : 0),
    refetchInterval: ({ state }) => (state.data ? Math.max(30_000, Date.parse(state.data.expiresAt) - Date.now() - RENEW_BEFORE_MS) : false),
  });
  const ticket = query.data?.ticket ?? null;
  const source = useCallback(
    (user: AvatarOf, size: 'small' | 'large') =>
      ticket && user.avatar ? `${serverBase()}${avatarPath(user.id, user.avatar, size)}?ticket=${encodeURIComponent(ticket)}` : null,
    [ticket],
  );
  return <AvatarSourceContext.Provider value={source}>{children}</AvatarSourceContext.Provider>;
}
