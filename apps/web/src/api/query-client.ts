import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';

/** The tRPC error code of a failed call, if it was a tRPC refusal rather than a network failure. */
export function trpcErrorCode(error: unknown): string | null {
  const data = (error as { data?: { code?: unknown } } | null)?.data;
  return typeof data?.code === 'string' ? data.code : null;
}

/** Refusals that trying again cannot fix. */
const FINAL_CODES = new Set(['UNAUTHORIZED', 'FORBIDDEN', 'BAD_REQUEST', 'NOT_FOUND', 'CONFLICT', 'TOO_MANY_REQUESTS']);

/** A QueryClient whose every query and mutation reports a refused token in one place. */
export function createQueryClient(onUnauthorized: () => void): QueryClient {
  const check = (error: unknown) => {
    if (trpcErrorCode(error) === 'UNAUTHORIZED') onUnauthorized();
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError: check }),
    mutationCache: new MutationCache({ onError: check }),
    defaultOptions: {
      queries: {
        retry: (failures, error) => !FINAL_CODES.has(trpcErrorCode(error) ?? '') && failures < 3,
        refetchOnWindowFocus: false,
        staleTime: 30_000,
      },
      mutations: { retry: false },
    },
  });
}
