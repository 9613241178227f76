import type { AppRouter } from '@chat/api';
import { TRPCClientError } from '@trpc/client';

export interface SocketWatch {
  /** The server refused the connection (its `createContext` threw), e.g. for a bad token. */
  onRefused(error: TRPCClientError<AppRouter>): void;
  /** The server answered a request, which it only does after accepting the connection. */
  onAccepted(): void;
}

/**
 * A WebSocket class that reports what tRPC's wsClient keeps to itself: the server's
 * connection-level error (`{ id: null, error }`, sent just before it closes the socket).
 * Without it a refused token looks like any dropped connection and is retried forever.
 */
export function watchedWebSocket(Base: typeof WebSocket, watch: SocketWatch): typeof WebSocket {
  return class WatchedWebSocket extends Base {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      this.addEventListener('message', (event: MessageEvent) => inspect(event.data, watch));
    }
  };
}

function inspect(data: unknown, watch: SocketWatch) {
  if (typeof data !== 'string' || data === 'PONG' || data === 'PING') return;
  // Cheap checks first: every chat message passes through here.
  const maybeError = data.includes('"id":null') && data.includes('"error"');
  if (!maybeError) {
    if (data.includes('"result"')) watch.onAccepted();
    return;
  }
  let message: unknown;
  try {
    message = JSON.parse(data);
  } catch {
    return;
  }
  if (message && typeof message === 'object' && 'id' in message && message.id === null && 'error' in message) {
    watch.onRefused(TRPCClientError.from(message as Parameters<typeof TRPCClientError.from>[0]));
  }
}
