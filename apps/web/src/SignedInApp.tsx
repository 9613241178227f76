import { QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { createSessionClients, type SessionClients } from './api/session-clients';
import { trpc } from './api/trpc';
import { ChatScreen } from './chat/ChatScreen';
import { ConnectionProvider } from './connection/ConnectionContext';
import { useSession } from './session/SessionContext';
import type { Session } from './session/session-store';

const NOTICES = {
  expired: 'Your session expired. Log in again to keep chatting.',
  refused: 'The server no longer accepts your session. Please log in again.',
} as const;

export function SignedInApp({ session }: { session: Session }) {
  const { signOut } = useSession();
  const [clients, setClients] = useState<SessionClients | null>(null);

  // Created in an effect so the socket is closed when this session ends (logout, expiry, new token).
  useEffect(() => {
    const created = createSessionClients({
      token: session.token,
      onTokenRefused: (reason) => signOut(NOTICES[reason]),
      // A socket refused for a bad token says so only over HTTP: ask auth.me.
      onSocketLost: () => void created.queryClient.invalidateQueries({ queryKey: [['auth', 'me']] }),
    });
    setClients(created);
    return () => created.close();
  }, [session.token, signOut]);

  if (!clients) return null;
  return (
    <trpc.Provider client={clients.trpcClient} queryClient={clients.queryClient}>
      <QueryClientProvider client={clients.queryClient}>
        <ConnectionProvider monitor={clients.connection}>
          <ChatScreen
            session={session}
            onLogout={() => {
              // Revoke the token on the server too, but never make leaving wait on it.
              void clients.trpcClient.auth.logout.mutate().catch(() => undefined);
              signOut();
            }}
          />
        </ConnectionProvider>
      </QueryClientProvider>
    </trpc.Provider>
  );
}
