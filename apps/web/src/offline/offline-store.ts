import type { RoomListItem } from '../api/room-types';
import type { ChatMessage } from '../api/trpc';

/** What this browser keeps of an account for a start without the server: its rooms and the newest page of each room opened. */
export interface OfflineSnapshot {
  rooms: RoomListItem[] | null;
  pages: ReadonlyMap<string, ChatMessage[]>;
}

const STORE = 'snapshot';
const ROOMS = 'rooms';
const PAGE = 'page:';

/** One database per account, as the outbox's: another account's rooms never show. */
export const offlineDatabaseName = (accountId: string) => `chat-offline-${accountId}`;

const done = (tx: IDBTransaction) =>
  new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });

function open(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const r = indexedDB.open(name, 1);
    r.onupgradeneeded = () => r.result.createObjectStore(STORE);
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB open failed'));
  });
}

export interface OfflineStore {
  load(): Promise<OfflineSnapshot>;
  /** The room list; the pages of rooms no longer in it go. */
  saveRooms(rooms: readonly RoomListItem[]): Promise<void>;
  savePage(roomId: string, messages: readonly ChatMessage[]): Promise<void>;
  close(): void;
}

const stores = new Map<string, OfflineStore>();

/**
 * The account's offline snapshot (issue 25, "Installable"): best effort, so where IndexedDB is missing
 * or refused nothing is kept and the app simply waits for the server, as before.
 */
export function offlineStore(accountId: string): OfflineStore {
  const known = stores.get(accountId);
  if (known) return known;
  const db = typeof indexedDB === 'undefined' ? Promise.reject(new Error('no IndexedDB')) : open(offlineDatabaseName(accountId));
  db.catch(() => undefined);
  const write = async (use: (store: IDBObjectStore) => void) => {
    const tx = (await db).transaction(STORE, 'readwrite');
    use(tx.objectStore(STORE));
    await done(tx);
  };
  const store: OfflineStore = {
    async load() {
      const rooms: { value: RoomListItem[] | null } = { value: null };
      const pages = new Map<string, ChatMessage[]>();
      try {
        const tx = (await db).transaction(STORE, 'readonly');
        const cursor = tx.objectStore(STORE).openCursor();
        cursor.onsuccess = () => {
          const at = cursor.result;
          if (!at) return;
          const key = String(at.key);
          if (key === ROOMS) rooms.value = at.value as RoomListItem[];
          else if (key.startsWith(PAGE)) pages.set(key.slice(PAGE.length), at.value as ChatMessage[]);
          at.continue();
        };
        await done(tx);
      } catch {
        // Nothing kept, or nothing readable: the same for the app.
      }
      return { rooms: rooms.value, pages };
    },
    saveRooms: (rooms) =>
      write((s) => {
        s.put([...rooms], ROOMS);
        const ids = new Set(rooms.map((r) => r.id));
        const keys = s.getAllKeys();
        keys.onsuccess = () => {
          for (const key of keys.result) if (String(key).startsWith(PAGE) && !ids.has(String(key).slice(PAGE.length))) s.delete(key);
        };
      }).catch(() => undefined),
    savePage: (roomId, messages) => write((s) => s.put([...messages], `${PAGE}${roomId}`)).catch(() => undefined),
    close() {
      stores.delete(accountId);
      void db.then((d) => d.close(), () => undefined);
    },
  };
  stores.set(accountId, store);
  return store;
}

/** "Log out" leaves none of the account's rooms or messages in this browser (a shared computer). */
export function forgetOffline(accountId: string): void {
  stores.get(accountId)?.close();
  if (typeof indexedDB !== 'undefined') indexedDB.deleteDatabase(offlineDatabaseName(accountId));
}
