import { createWSClient, httpBatchLink, splitLink, type TRPCWebSocketClient, wsLink } from '@trpc/client';
import type { QueryClient } from '@tanstack/react-query';
import { type ConnectionMonitor, createConnectionMonitor } from '../connection/connection-monitor';
import { apiEndpoints } from './api-endpoints';
import { createQueryClient } from './query-client';
import { trpc } from './trpc';

/** The server closes a socket with this code when its token runs out. */
export const CLOSE_TOKEN_EXPIRED = 4401;

export interface SessionClients {
  trpcClient: ReturnType<typeof trpc.createClient>;
  queryClient: QueryClient;
  wsClient: TRPCWebSocketClient;
  connection: ConnectionMonitor;
  close(): void;
}

interface Options {
  token: string;
  /** The server refused the token (HTTP UNAUTHORIZED or the socket's expiry close). */
  onTokenRefused(reason: 'expired' | 'refused'): void;
  /** A socket closed for another reason: the app re-checks the token over HTTP. */
  onSocketLost(): void;
}

/** Everything that talks to the server for one signed-in session; `close()` ends it all. */
export function createSessionClients({ token, onTokenRefused, onSocketLost }: Options): SessionClients {
  const { httpUrl, wsUrl } = apiEndpoints();
  // After close(), the socket's own close event is ours, not news.
  let closed = false;
  const connection = createConnectionMonitor();
  const wsClient = createWSClient({
    url: wsUrl,
    connectionParams: () => ({ token }),
    retryDelayMs: (attempt) => connection.retryDelayMs(attempt),
    // Finds a half-open socket (laptop lid, Wi-Fi switch) within seconds rather than minutes.
    keepAlive: { enabled: true, intervalMs: 10_000, pongTimeoutMs: 4_000 },
    onClose: (cause) => {
      if (closed) return;
      if (cause?.code === CLOSE_TOKEN_EXPIRED) onTokenRefused('expired');
      else onSocketLost();
    },
  });
  const detach = connection.attach(wsClient);
  const trpcClient = trpc.createClient({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: wsLink({ client: wsClient }),
        false: httpBatchLink({ url: httpUrl, headers: () => ({ authorization: `Bearer ${token}` }) }),
      }),
    ],
  });
  const queryClient = createQueryClient(() => {
    if (!closed) onTokenRefused('refused');
  });
  return {
    trpcClient,
    queryClient,
    wsClient,
    connection,
    close() {
      closed = true;
      detach();
      void wsClient.close();
      queryClient.clear();
    },
  };
}

/** Before sign-in only auth.signup and auth.login are called: no socket. */
export function createAnonymousClients() {
  const { httpUrl } = apiEndpoints();
  return {
    trpcClient: trpc.createClient({ links: [httpBatchLink({ url: httpUrl })] }),
    queryClient: createQueryClient(() => undefined),
  };
}
