import type { Outbox, OutboxItem } from '@chat/client/core';
import { createContext, type ReactNode, useContext, useSyncExternalStore } from 'react';

const OutboxContext = createContext<Outbox | null>(null);

export function OutboxProvider({ outbox, children }: { outbox: Outbox; children: ReactNode }) {
  return <OutboxContext.Provider value={outbox}>{children}</OutboxContext.Provider>;
}

export function useOutbox(): Outbox {
  const outbox = useContext(OutboxContext);
  if (!outbox) throw new Error('useOutbox needs an OutboxProvider');
  return outbox;
}

/** Every item not yet delivered, re-rendering on each change. */
export function useOutboxItems(): readonly OutboxItem[] {
  const outbox = useOutbox();
  return useSyncExternalStore(outbox.subscribe, outbox.items);
}
