import type { ChatMessage } from '../shapes';

/** Live fan-out of committed messages. PostgreSQL stays the source of truth. */
export interface ChatBus {
  publish(message: ChatMessage): void;
  subscribe(listener: (message: ChatMessage) => void): () => void;
}

export function createInProcessBus(): ChatBus {
  const listeners = new Set<(message: ChatMessage) => void>();
  return {
    publish(message) {
      for (const listener of listeners) listener(message);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
