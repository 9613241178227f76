import { createOutbox, memoryOutboxStore, type OutboxAction } from '@chat/client/core';
import { afterEach, describe, expect, it } from 'vitest';
import { coordinateOutboxTabs, type TabApis } from './outbox-tabs';

// Node's own BroadcastChannel (the browser's API); the lock manager is a plain FIFO of waiters, as
// the Web Locks spec grants an exclusive lock. The browser test (e2e/outbox-tabs.test.ts) runs Chromium's.
function fifoLocks(): NonNullable<TabApis['locks']> {
  const queues = new Map<string, (() => void)[]>();
  const held = new Set<string>();
  const next = (name: string) => {
    const waiting = queues.get(name) ?? [];
    const grant = waiting.shift();
    if (grant) grant();
  };
  return {
    request: ((name: string, options: LockOptions, callback: () => Promise<void>) =>
      new Promise<void>((resolve, reject) => {
        const grant = () => {
          held.add(name);
          void callback().finally(() => {
            held.delete(name);
            resolve();
            next(name);
          });
        };
        options.signal?.addEventListener('abort', () => {
          const waiting = queues.get(name) ?? [];
          if (waiting.includes(grant)) {
            queues.set(name, waiting.filter((g) => g !== grant));
            reject(new DOMException('Aborted', 'AbortError'));
          }
        });
        if (held.has(name)) queues.set(name, [...(queues.get(name) ?? []), grant]);
        else grant();
      })) as unknown as NonNullable<TabApis['locks']>['request'],
  };
}

const apis = (locks: TabApis['locks']): TabApis => ({ locks, channel: (name) => new BroadcastChannel(name) });
const send = (text: string): OutboxAction => ({ kind: 'send', input: { roomId: '1', text, clientMessageId: text } });
const until = async (what: () => boolean) => {
  for (let i = 0; i < 200 && !what(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(what()).toBe(true);
};

const open: { close(): void }[] = [];
afterEach(() => {
  for (const o of open.splice(0)) o.close();
});

/** A tab: the account's shared store (one IndexedDB in the browser), its own outbox and coordination. */
function tab(accountId: string, store: ReturnType<typeof memoryOutboxStore>, locks: TabApis['locks'], sent: string[]) {
  const tabs = coordinateOutboxTabs(accountId, store, apis(locks));
  const outbox = createOutbox({
    store: tabs.store,
    leading: tabs.leadsAtStart,
    newId: () => 'x',
    perform: (action) => {
      sent.push(action.kind === 'send' ? action.input.text : action.kind);
      return Promise.resolve({});
    },
  });
  tabs.start(outbox);
  const handle = {
    outbox,
    close() {
      outbox.close();
      tabs.close();
    },
  };
  open.push(handle);
  return handle;
}

describe('the outbox across tabs', () => {
  it('lets only the lock holder deliver, shows every tab the shared queue, and hands over when the holder closes', async () => {
    const store = memoryOutboxStore();
    const locks = fifoLocks();
    const sentByFirst: string[] = [];
    const sentBySecond: string[] = [];
    const first = tab('acct-1', store, locks, sentByFirst);
    const second = tab('acct-1', store, locks, sentBySecond);
    await Promise.all([first.outbox.ready, second.outbox.ready]);

    await first.outbox.add(send('from the first tab'), '1');
    await second.outbox.add(send('from the second tab'), '1');
    // The second tab's item reaches the first (the leader), which sends both; the second sends nothing.
    await until(() => sentByFirst.length === 2 && store.size === 0);
    expect(sentByFirst).toEqual(['from the first tab', 'from the second tab']);
    expect(sentBySecond).toEqual([]);
    await until(() => second.outbox.items().length === 0);

    first.outbox.setUsable(false);
    await first.outbox.add(send('queued while offline'), '1');
    await until(() => second.outbox.items().map((i) => i.id).join() === 'queued while offline');
    first.close();
    // The lock passes to the second tab, which reads the store and delivers what the first left.
    await until(() => sentBySecond.length === 1);
    expect(sentBySecond).toEqual(['queued while offline']);
    expect(sentByFirst).toHaveLength(2);
  });

  it('falls back to every tab delivering its own queue where the browser cannot coordinate', () => {
    const store = memoryOutboxStore();
    const tabs = coordinateOutboxTabs('acct-2', store, { locks: null, channel: null });
    expect(tabs.leadsAtStart).toBe(true);
    expect(tabs.store).toBe(store);
  });
});
