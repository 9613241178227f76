import { banOf, errorCode, isFinal, sessionEnded } from '@chat/client/core';
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';

/** The tRPC error code of a failed call, if it was a tRPC refusal rather than a network failure (the shared client core's). */
export const trpcErrorCode = errorCode;

/**
 * A QueryClient whose every query and mutation reports a refused token, or a ban, in one place.
 * `onUnauthorized` hears whether the server said the session was logged out (elsewhere, say).
 */
export function createQueryClient(onUnauthorized: (loggedOut: boolean) => void, onBanned: (reason: string | null) => void = () => undefined): QueryClient {
  const check = (error: unknown) => {
    const ban = banOf(error);
    if (ban) onBanned(ban.reason);
    else if (trpcErrorCode(error) === 'UNAUTHORIZED') onUnauthorized(sessionEnded(error));
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError: check }),
    mutationCache: new MutationCache({ onError: check }),
    defaultOptions: {
      queries: {
        retry: (failures, error) => !isFinal(error) && failures < 3,
        refetchOnWindowFocus: false,
        staleTime: 30_000,
      },
      mutations: { retry: false },
    },
  });
}
