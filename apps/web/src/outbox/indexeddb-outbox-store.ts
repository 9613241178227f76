import { memoryOutboxStore, type OutboxItem, type OutboxStore } from '@chat/client/core';

const STORE = 'items';

const request = <T>(r: IDBRequest<T>) =>
  new Promise<T>((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });

/** One database per account, so one account's queue never goes out under another's session. */
export const outboxDatabaseName = (accountId: string) => `chat-outbox-${accountId}`;

function open(name: string): Promise<IDBDatabase> {
  const r = indexedDB.open(name, 1);
  r.onupgradeneeded = () => r.result.createObjectStore(STORE, { keyPath: 'id' });
  return request(r);
}

/**
 * The web's outbox store: what a user sent, edited or reacted while offline survives a reload
 * and a closed tab. Where IndexedDB is missing or refused (some private modes) the queue still
 * works for the life of the page, in memory.
 */
export function indexedDbOutboxStore(accountId: string): OutboxStore & { close(): void } {
  const db = typeof indexedDB === 'undefined' ? Promise.reject(new Error('no IndexedDB')) : open(outboxDatabaseName(accountId));
  const fallback = memoryOutboxStore();
  const run = async <T>(mode: IDBTransactionMode, use: (store: IDBObjectStore) => IDBRequest<T>, orElse: () => Promise<T>): Promise<T> => {
    let database: IDBDatabase;
    try {
      database = await db;
    } catch {
      return orElse();
    }
    const tx = database.transaction(STORE, mode);
    // A write counts once it is committed, not merely queued: the item must outlive the tab.
    const committed = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    });
    const [result] = await Promise.all([request(use(tx.objectStore(STORE))), committed]);
    return result;
  };
  return {
    load: () => run('readonly', (s) => s.getAll() as IDBRequest<OutboxItem[]>, () => fallback.load()),
    put: (item) => run('readwrite', (s) => s.put(item), () => fallback.put(item).then(() => item.id)).then(() => undefined),
    // Lets a logout delete the database (a delete waits for every open connection to close).
    close: () => void db.then((d) => d.close(), () => undefined),
    delete: (id) => run('readwrite', (s) => s.delete(id), () => fallback.delete(id).then(() => undefined)).then(() => undefined),
  };
}
