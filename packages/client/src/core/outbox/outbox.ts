import type { OutboxAction, OutboxItem } from './outbox-item';
import { type OutboxVerdict, outboxVerdict } from './outbox-policy';
import type { OutboxStore } from './outbox-store';

export interface OutboxOptions {
  store: OutboxStore;
  /** Calls the procedure the action names; must be safe to repeat with the same input (decision 133). */
  perform(action: OutboxAction): Promise<unknown>;
  /** Whether a connection is usable now; `setUsable` follows it from then on. True by default. */
  usable?: boolean;
  /** Retry or stop after a failed try of `item`; by default `outboxVerdict` (an app may word the sentence its own way). */
  verdict?(error: unknown, attempt: number, item: OutboxItem): OutboxVerdict;
  /** Ids of edits and reactions (a send's id is its clientMessageId). */
  newId(): string;
  now?(): Date;
  /**
   * Whether this outbox delivers; true by default. Where several outboxes share one store (a
   * browser's tabs of one account), one leads and delivers, the others add to the store and show
   * its items; each calls `reload` when another changed the store (docs/decisions/139).
   */
  leading?: boolean;
}

export interface Outbox {
  /** Resolves once the items kept in the store (a previous page's, a reload's) are loaded and queued. */
  readonly ready: Promise<void>;
  /** Every item not yet delivered, in queue order, failed ones included. */
  items(): readonly OutboxItem[];
  /** Called after every change of `items()`. */
  subscribe(listener: () => void): () => void;
  /** Called with the server's answer when an item went through (after it left the store). */
  onDelivered(listener: (item: OutboxItem, result: unknown) => void): () => void;
  /** Stores the action first, then queues it; resolves with the stored item. */
  add(action: OutboxAction, roomId: string | null): Promise<OutboxItem>;
  /** `add`, then the server's answer once delivered (as `settled`): what a bot awaits. */
  deliver(action: OutboxAction, roomId: string | null): Promise<{ item: OutboxItem; result: Promise<unknown> }>;
  /** The server's answer once the item is delivered; rejects with the server's refusal if it stops (its sentence is the item's `reason`), or if discarded or closed first. */
  settled(id: string): Promise<unknown>;
  /** The connection became usable (try the head item now) or not (no tries until it is). */
  setUsable(usable: boolean): void;
  /** A failed item goes back into the queue, in its original place. */
  retry(id: string): void;
  /** Drops an item that is not in flight (a failed or waiting one) from the queue and the store. */
  discard(id: string): Promise<void>;
  /** Stops trying; the store keeps what is left for the next outbox over it. Whoever waits on `settled` is told. */
  close(): void;
  /** Starts delivering (this outbox was elected among those sharing its store), or stops. */
  setLeading(leading: boolean): void;
  /**
   * Reads the store again and takes what other outboxes over it did: items added, retried or
   * discarded there, and (for a follower) those the leader delivered or stopped.
   */
  reload(): Promise<void>;
}

type Waiter = { resolve(result: unknown): void; reject(error: Error): void };

/** Queue order: the order typed. Outboxes sharing a store may number two items alike; the earlier, then the id, goes first. */
const byQueueOrder = (a: OutboxItem, b: OutboxItem) => a.seq - b.seq || a.createdAt.localeCompare(b.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** What a stored item is when read back: one that was in flight when its page went away is simply pending again. */
const asLoaded = (item: OutboxItem): OutboxItem => (item.state.status === 'sending' ? { ...item, state: { status: 'pending' } } : item);

/**
 * The user's sends, thread replies, edits and reactions, delivered one at a time in the order made, across all
 * rooms, each retried with the same input until the server takes it or refuses it for good.
 * An item leaves the store only after the server answered, so a reload or a closed tab sends it
 * again, and the server's idempotency (clientMessageId; an edit to the same text; a reaction set
 * on or off) makes that second try a no-op if the first one had gone through.
 */
export function createOutbox(options: OutboxOptions): Outbox {
  const { store, perform } = options;
  const verdict = options.verdict ?? ((error: unknown, attempt: number) => outboxVerdict(error, attempt));
  const now = options.now ?? (() => new Date());
  let queue: OutboxItem[] = [];
  let nextSeq = 1;
  let usable = options.usable ?? true;
  let leading = options.leading ?? true;
  let closed = false;
  // The item in flight, or waiting for its next try: nothing behind it goes before it.
  let head: { id: string; attempt: number; timer: ReturnType<typeof setTimeout> | null; inFlight: boolean } | null = null;
  const listeners = new Set<() => void>();
  const deliveredListeners = new Set<(item: OutboxItem, result: unknown) => void>();
  const waiters = new Map<string, Waiter[]>();

  const changed = () => {
    for (const l of [...listeners]) l();
  };
  const replace = (item: OutboxItem) => {
    queue = queue.map((q) => (q.id === item.id ? item : q));
    changed();
  };
  const settle = (id: string, outcome: { result: unknown } | { error: Error }) => {
    for (const w of waiters.get(id) ?? []) {
      if ('result' in outcome) w.resolve(outcome.result);
      else w.reject(outcome.error);
    }
    waiters.delete(id);
  };

  // Each change of the store and the queue together runs alone: a reload reads the store and
  // updates the queue in one step, so it never sees a write done and the queue not yet changed
  // (and brings back an item just delivered), nor the reverse.
  let chain: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = chain.then(work, work);
    chain = run.catch(() => undefined);
    return run;
  };

  /** The queue as the store has it now; the head, ours in flight or waiting, stays as this outbox knows it. */
  const takeStore = (kept: readonly OutboxItem[]) => {
    const stored = new Map(kept.map((item) => [item.id, asLoaded(item)]));
    if (head && !head.inFlight && !stored.has(head.id)) {
      // Discarded elsewhere while waiting for its next try: it does not go out.
      if (head.timer) clearTimeout(head.timer);
      head = null;
    }
    const next: OutboxItem[] = [];
    for (const q of queue) {
      if (q.id === head?.id) next.push(q);
      else if (stored.has(q.id)) next.push(stored.get(q.id)!);
      // Delivered by the leader, or discarded, elsewhere.
      else settle(q.id, { error: new Error('Delivered or discarded by another outbox over the same store') });
      stored.delete(q.id);
    }
    queue = [...next, ...stored.values()].sort(byQueueOrder);
    nextSeq = Math.max(nextSeq, ...queue.map((q) => q.seq + 1));
    changed();
    pump();
  };

  const reload = () => exclusive(async () => takeStore(await store.load()));
  const ready = reload();

  const pump = () => {
    if (closed || !usable || !leading || head) return;
    const item = queue.find((q) => q.state.status === 'pending');
    if (!item) return;
    head = { id: item.id, attempt: 0, timer: null, inFlight: false };
    attempt();
  };

  const attempt = () => {
    const current = head;
    const item = current && queue.find((q) => q.id === current.id);
    if (!current || !item || closed) return;
    current.timer = null;
    if (!usable || !leading) return; // setUsable(true) or setLeading(true) tries again.
    current.inFlight = true;
    replace({ ...item, state: { status: 'sending' } });
    perform(item).then(
      (result) =>
        exclusive(async () => {
          await store.delete(item.id);
          current.inFlight = false;
          if (head !== current) return;
          head = null;
          queue = queue.filter((q) => q.id !== item.id);
          changed();
          for (const l of [...deliveredListeners]) l(item, result);
          settle(item.id, { result });
          pump();
        }),
      (error: unknown) => {
        if (head !== current || closed) {
          current.inFlight = false;
          return;
        }
        const next = verdict(error, current.attempt, item);
        if ('retryInMs' in next) {
          current.inFlight = false;
          current.attempt += 1;
          replace({ ...item, state: { status: 'pending' } });
          current.timer = setTimeout(attempt, next.retryInMs);
          return;
        }
        const failed: OutboxItem = { ...item, state: { status: 'failed', reason: next.stop } };
        // In flight until it is kept as failed: a discard meanwhile would be undone by the write.
        return exclusive(async () => {
          current.inFlight = false;
          if (head !== current || closed) return;
          await store.put(failed);
          head = null;
          replace(failed);
          settle(item.id, { error: error instanceof Error ? error : new Error(next.stop) });
          pump();
        });
      },
    );
  };

  const waitFor = (id: string) =>
    new Promise<unknown>((resolve, reject) => {
      if (!queue.some((q) => q.id === id && q.state.status !== 'failed')) return reject(new Error('Not in the outbox'));
      waiters.set(id, [...(waiters.get(id) ?? []), { resolve, reject }]);
    });

  const add = async (action: OutboxAction, roomId: string | null, wait: boolean) => {
    await ready;
    return exclusive(async () => {
      const id = action.kind === 'send' || action.kind === 'reply' ? action.input.clientMessageId : options.newId();
      const item = { ...action, id, seq: nextSeq++, roomId, createdAt: now().toISOString(), state: { status: 'pending' } } as OutboxItem;
      // Kept before it is shown as pending: what the user sees queued survives a reload.
      await store.put(item);
      queue = [...queue, item].sort(byQueueOrder);
      changed();
      // Waiting before the first try, so even an instant answer is not missed.
      const result = wait ? waitFor(item.id) : Promise.resolve(undefined);
      // Whoever does not wait for it is not told of an unhandled refusal; whoever awaits it still is.
      result.catch(() => undefined);
      pump();
      return { item, result };
    });
  };

  return {
    ready,
    items: () => queue,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onDelivered(listener) {
      deliveredListeners.add(listener);
      return () => deliveredListeners.delete(listener);
    },
    add: (action, roomId) => add(action, roomId, false).then(({ item }) => item),
    deliver: (action, roomId) => add(action, roomId, true),
    settled: waitFor,
    setUsable(next) {
      if (next === usable) return;
      usable = next;
      if (!usable) return;
      // Back online: the waiting head goes now rather than at the end of its backoff.
      if (head && !head.inFlight) {
        if (head.timer) clearTimeout(head.timer);
        head.attempt = 0;
        attempt();
      } else pump();
    },
    // Retry and discard change the queue only once the store has the change, so a reload in between
    // (another tab's news) cannot undo them.
    retry(id) {
      void exclusive(async () => {
        const item = queue.find((q) => q.id === id);
        if (!item || item.state.status !== 'failed') return;
        const pending: OutboxItem = { ...item, state: { status: 'pending' } };
        await store.put(pending);
        replace(pending);
        pump();
      });
    },
    discard(id) {
      return exclusive(async () => {
        if (head?.id === id) {
          if (head.inFlight) return;
          if (head.timer) clearTimeout(head.timer);
          head = null;
        }
        await store.delete(id);
        queue = queue.filter((q) => q.id !== id);
        changed();
        settle(id, { error: new Error('Discarded') });
        pump();
      });
    },
    close() {
      closed = true;
      if (head?.timer) clearTimeout(head.timer);
      for (const id of [...waiters.keys()]) settle(id, { error: new Error('The outbox was closed before this was delivered') });
    },
    setLeading(next) {
      if (next === leading) return;
      leading = next;
      if (!leading) return;
      if (head && !head.inFlight && !head.timer) attempt();
      else pump();
    },
    reload,
  };
}
