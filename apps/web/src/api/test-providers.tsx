import { QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { createAnonymousClients } from './session-clients';
import { trpc } from './trpc';

/** A component test's tRPC and React Query context, signed out (render's `wrapper`). */
export function testProviders() {
  const clients = createAnonymousClients();
  return function Providers({ children }: { children: ReactNode }) {
    return (
      <trpc.Provider client={clients.trpcClient} queryClient={clients.queryClient}>
        <QueryClientProvider client={clients.queryClient}>{children}</QueryClientProvider>
      </trpc.Provider>
    );
  };
}
