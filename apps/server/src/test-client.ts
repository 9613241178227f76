import type { AppRouter } from '@chat/api';
import { createTRPCClient, createWSClient, httpBatchLink, splitLink, type TRPCWebSocketClient, wsLink } from '@trpc/client';
import { WebSocket } from 'ws';
import type { TestServer } from './testing';

export interface TestClient {
  trpc: ReturnType<typeof createTRPCClient<AppRouter>>;
  ws: TRPCWebSocketClient;
  close(): Promise<void>;
}

/** The real client, wired as the apps wire it: subscriptions over wsLink, the rest over httpBatchLink. */
export function createTestClient(server: Pick<TestServer, 'url' | 'wsUrl'>, token: string | null, opts: { retryDelayMs?: number } = {}): TestClient {
  const ws = createWSClient({
    // Node 20 has no global WebSocket.
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    url: server.wsUrl,
    connectionParams: () => (token ? { token } : null),
    retryDelayMs: () => opts.retryDelayMs ?? 100,
  });
  const trpc = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: wsLink({ client: ws }),
        false: httpBatchLink({ url: `${server.url}/trpc`, headers: () => (token ? { authorization: `Bearer ${token}` } : {}) }),
      }),
    ],
  });
  return { trpc, ws, close: () => ws.close() };
}
