// The cross-check: a few connections through the real @trpc/client wsLink, which must see exactly
// the messages the light clients see (so the light client's protocol cannot drift unnoticed).
import type { AppRouter } from '@chat/api';
import { createTRPCClient, createWSClient, wsLink } from '@trpc/client';
import WebSocket from 'ws';

export interface RealTrpcClient {
  close(): Promise<void>;
}

/** `stream`: the bare chat.onMessage, or chat.onEvent from the current cursor as the web app opens it. */
export async function createRealTrpcClient(url: string, token: string, stream: 'onMessage' | 'onEvent', onText: (text: string) => void): Promise<RealTrpcClient> {
  const wsClient = createWSClient({
    url: `${url.replace(/^http/, 'ws')}/ws`,
    connectionParams: { token },
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  const trpc = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] });
  // As the web app: the cursor first (it asks over HTTP; this client over its socket), then chat.onEvent from it.
  const cursor = stream === 'onEvent' ? (await trpc.chat.eventCursor.query()).cursor : null;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('subscription not started within 15 s')), 15_000);
    const handlers = {
      onStarted: () => {
        clearTimeout(timer);
        resolve();
      },
      onError: (error: unknown) => {
        clearTimeout(timer);
        sub.unsubscribe();
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    };
    const sub =
      cursor === null
        ? trpc.chat.onMessage.subscribe({}, { ...handlers, onData: (envelope) => onText(envelope.data.text) })
        : trpc.chat.onEvent.subscribe({ lastEventId: cursor }, { ...handlers, onData: ({ data: event }) => void (event.type === 'message.created' && onText(event.message.text)) });
  });
  return { close: () => wsClient.close() };
}
