import { MAX_BATCH_CALLS } from '@chat/api/schemas';
import { banOf, socketCloseReason } from '@chat/client/core';
import { createWSClient, httpBatchLink, splitLink, type TRPCWebSocketClient, wsLink } from '@trpc/client';
import type { QueryClient } from '@tanstack/react-query';
import { type ConnectionMonitor, createConnectionMonitor } from '../connection/connection-monitor';
import { apiEndpoints } from './api-endpoints';
import { createQueryClient } from './query-client';
import { trpc } from './trpc';

export interface SessionClients {
  trpcClient: ReturnType<typeof trpc.createClient>;
  queryClient: QueryClient;
  wsClient: TRPCWebSocketClient;
  connection: ConnectionMonitor;
  close(): void;
}

export type TokenRefusal = 'expired' | 'refused' | 'revoked';

interface Options {
  /** The newest token: read on every request and every (re)connect, so a renewed one is used at once. */
  getToken(): string;
  /** Whether the newest token is still good for a while (it may have been renewed since the socket opened). */
  tokenLasts(): boolean;
  /** The server refused the token: HTTP UNAUTHORIZED, the socket's expiry without a renewal, or a logout elsewhere. */
  onTokenRefused(reason: TokenRefusal): void;
  /** A socket closed for another reason: the app re-checks the token over HTTP. */
  onSocketLost(): void;
  /** The server refused the token because the account is banned (with the admin's reason, if any). */
  onBanned(reason: string | null): void;
}

/** Queries and mutations of a signed-in session: batched over HTTP, with the newest token on each request. */
export function sessionHttpLink(getToken: () => string) {
  return httpBatchLink({ url: apiEndpoints().httpUrl, maxItems: MAX_BATCH_CALLS, headers: () => ({ authorization: `Bearer ${getToken()}` }) });
}

/** Everything that talks to the server for one signed-in session; `close()` ends it all. */
export function createSessionClients({ getToken, tokenLasts, onTokenRefused, onSocketLost, onBanned }: Options): SessionClients {
  const { wsUrl } = apiEndpoints();
  // After close(), the socket's own close event is ours, not news.
  let closed = false;
  /** The socket was closed with 4403 and auth.me is asked why (a logout or a ban). */
  let revoking = false;
  const connection = createConnectionMonitor();
  const wsClient = createWSClient({
    url: wsUrl,
    connectionParams: () => ({ token: getToken() }),
    retryDelayMs: (attempt) => connection.retryDelayMs(attempt),
    // Finds a half-open socket (laptop lid, Wi-Fi switch) within seconds rather than minutes.
    keepAlive: { enabled: true, intervalMs: 10_000, pongTimeoutMs: 4_000 },
    onClose: (cause) => {
      if (closed) return;
      const reason = socketCloseReason(cause?.code);
      // The socket's own token ran out; with a renewed one the client simply reconnects and resumes.
      if (reason === 'expired') {
        if (!tokenLasts()) onTokenRefused('expired');
      } else if (reason === 'revoked') {
        revoking = true;
        void whyRevoked();
      }
      else onSocketLost();
    },
  });
  const detach = connection.attach(wsClient);
  const trpcClient = trpc.createClient({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: wsLink({ client: wsClient }),
        false: sessionHttpLink(getToken),
      }),
    ],
  });
  const queryClient = createQueryClient(
    (loggedOut) => {
      // While the socket's 4403 is being told apart (logout or ban), a query refused meanwhile must not
      // say "no longer accepts your session" first: whyRevoked gives the one right sentence.
      if (!closed && !revoking) onTokenRefused(loggedOut ? 'revoked' : 'refused');
    },
    (reason) => {
      if (!closed) onBanned(reason);
    },
  );
  // A logout and a ban close the socket alike (4403); the token's next call says which (data.banned).
  const whyRevoked = async () => {
    const ban = await trpcClient.auth.me.query().then(
      () => null,
      (error: unknown) => banOf(error),
    );
    revoking = false;
    if (closed) return;
    if (ban) onBanned(ban.reason);
    else onTokenRefused('revoked');
  };
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
    trpcClient: trpc.createClient({ links: [httpBatchLink({ url: httpUrl, maxItems: MAX_BATCH_CALLS })] }),
    queryClient: createQueryClient(() => undefined),
  };
}
