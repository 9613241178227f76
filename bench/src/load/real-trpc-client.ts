// The cross-check: a few connections through the real @trpc/client wsLink, which must see exactly
// the messages the light clients see (so the light client's protocol cannot drift unnoticed).
import type { AppRouter } from '@chat/api';
import { createTRPCClient, createWSClient, wsLink } from '@trpc/client';
import WebSocket from 'ws';

export interface RealTrpcClient {
  close(): Promise<void>;
}

export async function createRealTrpcClient(url: string, token: string, onText: (text: string) => void): Promise<RealTrpcClient> {
  const wsClient = createWSClient({
    url: `${url.replace(/^http/, 'ws')}/ws`,
    connectionParams: { token },
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  const trpc = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('subscription not started within 15 s')), 15_000);
    const sub = trpc.chat.onMessage.subscribe(
      {},
      {
        onStarted: () => {
          clearTimeout(timer);
          resolve();
        },
        onData: (envelope) => onText(envelope.data.text),
        onError: (error) => {
          clearTimeout(timer);
          sub.unsubscribe();
          reject(error);
        },
      },
    );
  });
  return { close: () => wsClient.close() };
}
