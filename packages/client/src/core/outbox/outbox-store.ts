import type { OutboxItem } from './outbox-item';

/** Where an outbox keeps its items between tries and across reloads: the web's IndexedDB, a bot's memory. */
export interface OutboxStore {
  /** Every item kept, in any order. */
  load(): Promise<OutboxItem[]>;
  put(item: OutboxItem): Promise<void>;
  delete(id: string): Promise<void>;
}

/** A bot's store: lives as long as the process. Also the simulated disk of the outbox's tests. */
export function memoryOutboxStore(): OutboxStore & { readonly size: number } {
  const items = new Map<string, OutboxItem>();
  return {
    load: () => Promise.resolve([...items.values()].map((item) => structuredClone(item))),
    put: (item) => {
      items.set(item.id, structuredClone(item));
      return Promise.resolve();
    },
    delete: (id) => {
      items.delete(id);
      return Promise.resolve();
    },
    get size() {
      return items.size;
    },
  };
}
