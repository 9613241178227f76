import { type AppRouter, MAX_BATCH_CALLS } from '@chat/api';
import { createTRPCClient, createWSClient, httpBatchLink, splitLink, TRPCClientError, type TRPCWebSocketClient, wsLink } from '@trpc/client';
import { WebSocket } from 'ws';
import type { TestServer } from './testing';

export type Trpc = ReturnType<typeof createTRPCClient<AppRouter>>;

export interface TestClient {
  trpc: Trpc;
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
    // Connect on first subscription, so HTTP-only tests open no socket.
    lazy: { enabled: true, closeMs: 0 },
  });
  const trpc = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: wsLink({ client: ws }),
        false: httpBatchLink({ url: `${server.url}/trpc`, maxItems: MAX_BATCH_CALLS, headers: () => (token ? { authorization: `Bearer ${token}` } : {}) }),
      }),
    ],
  });
  return { trpc, ws, close: () => ws.close() };
}

let counter = 0;
/** Signs up a fresh user and returns a client holding its token. */
export async function signUpClient(server: Pick<TestServer, 'url' | 'wsUrl'>, prefix = 'user') {
  const username = `${prefix}${Date.now().toString(36).slice(-5)}${counter++}`;
  const anon = createTestClient(server, null);
  const auth = await anon.trpc.auth.signup.mutate({ username, password: 'correct horse battery' });
  return { ...auth, password: 'correct horse battery', client: createTestClient(server, auth.token) };
}

/** Collects subscription data into an array that tests can poll. */
export function collect<T>() {
  const items: T[] = [];
  return { items, push: (item: T) => items.push(item) };
}

/**
 * The real wsClient with a subscription, as the apps open it; `token` is read on every (re)connect,
 * so a test can switch it as a client does after a refresh. Records close codes and deliveries.
 */
export function liveSocket(server: Pick<TestServer, 'wsUrl'>, token: string) {
  const state = { token, closeCodes: [] as number[], opens: 0, messages: [] as string[] };
  const ws = createWSClient({
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    url: server.wsUrl,
    connectionParams: () => ({ token: state.token }),
    retryDelayMs: () => 200,
    onOpen: () => (state.opens += 1),
    onClose: (cause) => state.closeCodes.push(cause?.code ?? 0),
  });
  const client = createTRPCClient<AppRouter>({ links: [wsLink({ client: ws })] });
  const sub = client.chat.onMessage.subscribe({}, { onData: (m) => state.messages.push(m.data.text), onError: () => {} });
  return {
    state,
    close: async () => {
      sub.unsubscribe();
      await ws.close();
    },
  };
}

/** A call's refusal as "CODE: message", so tests can say that "forbidden" and "missing" read the same. */
export const refusalOf = async (call: () => Promise<unknown>) =>
  call().then(
    () => 'resolved',
    (e: unknown) => (e instanceof TRPCClientError ? `${e.data?.code as string}: ${e.message}` : 'not a tRPC error'),
  );
