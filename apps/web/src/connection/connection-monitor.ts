import type { TRPCWebSocketClient } from '@trpc/client';
import { type ConnectionFacts, type ConnectionStatus, deriveStatus, reconnectDelayMs, sameStatus } from './connection-status';

export interface ConnectionMonitor {
  /** Give to createWSClient: it records when the next attempt will happen. */
  retryDelayMs(attempt: number): number;
  /** Starts following the client's connectionState and the browser's online events. */
  attach(client: TRPCWebSocketClient): () => void;
  subscribe(listener: () => void): () => void;
  getSnapshot(): ConnectionStatus;
}

/** An external store (for useSyncExternalStore) over the WebSocket client's real state. */
export function createConnectionMonitor(env: { now(): number; online(): boolean } = { now: Date.now, online: () => navigator.onLine }): ConnectionMonitor {
  const facts: ConnectionFacts = { socket: 'connecting', lostConnection: false, browserOnline: env.online(), attempt: 0, nextRetryAt: null };
  let status = deriveStatus(facts);
  const listeners = new Set<() => void>();

  const update = (change: Partial<ConnectionFacts>) => {
    Object.assign(facts, change);
    const next = deriveStatus(facts);
    if (sameStatus(next, status)) return;
    status = next;
    for (const l of listeners) l();
  };

  return {
    retryDelayMs(attempt) {
      const delay = reconnectDelayMs(attempt);
      update({ attempt, nextRetryAt: env.now() + delay });
      return delay;
    },
    attach(client) {
      const sub = client.connectionState.subscribe({
        next: (s) => {
          if (s.state === 'pending') update({ socket: 'pending', lostConnection: false, attempt: 0, nextRetryAt: null });
          else if (s.state === 'idle') update({ socket: 'idle', nextRetryAt: null });
          else update({ socket: 'connecting', lostConnection: facts.lostConnection || s.error !== null });
        },
      });
      const online = () => update({ browserOnline: true });
      const offline = () => update({ browserOnline: false });
      window.addEventListener('online', online);
      window.addEventListener('offline', offline);
      return () => {
        sub.unsubscribe();
        window.removeEventListener('online', online);
        window.removeEventListener('offline', offline);
      };
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => status,
  };
}
