import { QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { createAnonymousClients } from './session-clients';
import { trpc } from './trpc';

/**
 * A component test's tRPC and React Query context, signed out (render's `wrapper`). Pass the
 * clients to fill their cache first, as a page that has read something already would have it.
 */
export function testProviders(clients: Pick<ReturnType<typeof createAnonymousClients>, 'trpcClient' | 'queryClient'> = createAnonymousClients()) {
  return function Providers({ children }: { children: ReactNode }) {
    return (
      <trpc.Provider client={clients.trpcClient} queryClient={clients.queryClient}>
        <QueryClientProvider client={clients.queryClient}>{children}</QueryClientProvider>
      </trpc.Provider>
    );
  };
}
