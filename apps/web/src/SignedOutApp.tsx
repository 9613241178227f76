import { QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { createAnonymousClients } from './api/session-clients';
import { trpc } from './api/trpc';
import { AuthScreen } from './auth/AuthScreen';

export function SignedOutApp() {
  const [clients] = useState(createAnonymousClients);
  return (
    <trpc.Provider client={clients.trpcClient} queryClient={clients.queryClient}>
      <QueryClientProvider client={clients.queryClient}>
        <AuthScreen />
      </QueryClientProvider>
    </trpc.Provider>
  );
}
