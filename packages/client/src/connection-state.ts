import type { AppRouter } from '@chat/api';
import type { TRPCClientError } from '@trpc/client';

/**
 * - `connecting`: opening the first connection
 * - `connected`: the socket is open and has sent our token
 * - `reconnecting`: the connection was lost; retrying with backoff (`error` says why)
 * - `closed`: `close()` was called, or the server refused our token for good (`error` set)
 */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface ConnectionStatus {
  state: ConnectionState;
  error: TRPCClientError<AppRouter> | null;
}

export interface ConnectionStateSource {
  get(): ConnectionStatus;
  /** Calls `listener` now with the current status and on every change; returns an unsubscribe. */
  subscribe(listener: (status: ConnectionStatus) => void): () => void;
}

/** Holds the status; once `closed` it stays closed. */
export class ConnectionStateBox implements ConnectionStateSource {
  private status: ConnectionStatus = { state: 'connecting', error: null };
  private readonly listeners = new Set<(status: ConnectionStatus) => void>();

  get(): ConnectionStatus {
    return this.status;
  }

  subscribe(listener: (status: ConnectionStatus) => void): () => void {
    this.listeners.add(listener);
    listener(this.status);
    return () => this.listeners.delete(listener);
  }

  set(next: ConnectionStatus): void {
    if (this.status.state === 'closed') return;
    if (next.state === this.status.state && next.error === this.status.error) return;
    this.status = next;
    for (const listener of [...this.listeners]) listener(next);
  }
}
