import type { Outbox, OutboxStore } from '@chat/client/core';

/**
 * How the tabs of one account share its outbox (docs/decisions/139): they all read and write the
 * one IndexedDB store, but only the tab holding the Web Lock `chat-outbox-<account>` delivers,
 * so no two tabs send items at once or out of order. Every committed write is announced on a
 * BroadcastChannel of the same name, and each tab then reads the store again: an item typed in
 * one tab shows as pending in the others and reaches the leader, and a delivered one leaves every
 * view. When the leader tab closes, the browser hands the lock to the next tab waiting for it.
 */
export interface OutboxTabs {
  /** The store to build the outbox over: the same one, announcing each of its writes. */
  store: OutboxStore;
  /** Whether the outbox starts out delivering: only where tabs cannot coordinate (today's behaviour then). */
  leadsAtStart: boolean;
  /** Follows the other tabs' writes and waits for the lock; then this tab delivers. */
  start(outbox: Pick<Outbox, 'reload' | 'setLeading'>): void;
  /** Lets the lock go (another tab takes over) and stops listening. */
  close(): void;
}

/** What the browser must offer for tabs to coordinate; the tests pass their own. */
export interface TabApis {
  locks: Pick<LockManager, 'request'> | null;
  channel: ((name: string) => Pick<BroadcastChannel, 'postMessage' | 'close' | 'addEventListener'>) | null;
}

const browserApis = (): TabApis => ({
  locks: typeof navigator !== 'undefined' && navigator.locks ? navigator.locks : null,
  channel: typeof BroadcastChannel === 'undefined' ? null : (name) => new BroadcastChannel(name),
});

export const outboxLockName = (accountId: string) => `chat-outbox-${accountId}`;

export function coordinateOutboxTabs(accountId: string, store: OutboxStore, apis: TabApis = browserApis()): OutboxTabs {
  const { locks, channel: openChannel } = apis;
  // Without both, every tab drives its own copy of the queue, as before (still once per item, by clientMessageId).
  if (!locks || !openChannel) return { store, leadsAtStart: true, start: () => {}, close: () => {} };
  const name = outboxLockName(accountId);
  const channel = openChannel(name);
  const announce = () => {
    try {
      channel.postMessage('changed');
    } catch {
      // Closed (the session ended): nobody here to tell.
    }
  };
  const shared: OutboxStore = {
    load: () => store.load(),
    put: (item) => store.put(item).then(announce),
    delete: (id) => store.delete(id).then(announce),
  };
  const abort = new AbortController();
  let release: (() => void) | null = null;
  let closed = false;

  return {
    store: shared,
    leadsAtStart: false,
    start(outbox) {
      // One reload at a time, and one more if news came meanwhile: a burst of writes costs two reads.
      let reloading = false;
      let again = false;
      const reload = () => {
        if (reloading) {
          again = true;
          return;
        }
        reloading = true;
        void outbox
          .reload()
          .catch(() => undefined)
          .finally(() => {
            reloading = false;
            if (again && !closed) {
              again = false;
              reload();
            }
          });
      };
      channel.addEventListener('message', reload);
      locks
        .request(name, { signal: abort.signal }, () => {
          if (closed) return Promise.resolve();
          // Held until this tab's session ends or the tab closes; the browser frees it either way.
          return new Promise<void>((resolve) => {
            release = resolve;
            // What the last leader left (it may have closed mid-send): read it first, then deliver.
            void outbox
              .reload()
              .catch(() => undefined)
              .then(() => {
                if (!closed) outbox.setLeading(true);
              });
          });
        })
        .catch(() => undefined); // Aborted: this session ended before its turn came.
    },
    close() {
      closed = true;
      abort.abort();
      release?.();
      channel.close();
    },
  };
}
