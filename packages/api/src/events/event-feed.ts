import { repositoriesFor } from '@chat/db';
import { idAfter, nextId } from '../schemas/ids';
import { eventsAfter } from './events-after';
import type { EventFeed, EventFeedOptions } from './feed-contract';
import { createFeedCore } from './feed-core';
import type { StoredEvent } from './stored-event';

export type { EventFeed, EventFeedOptions } from './feed-contract';

/** Events held while their predecessor is awaited; beyond this the gap is read at once. */
const HELD_MAX = 1_000;

/**
 * This instance's ordered view of the event log: the first stage of the pipeline
 * append → bus → feed → dispatcher → sockets. Bus events can arrive out of order or not at all
 * (another instance's event overtaken, Redis down, an append whose answer was lost so nobody
 * published it); since appends commit in id order, an event whose id is not the next one is a cue
 * to read the gap from the database, and so is a database `max(id)` above the last delivered id
 * when the bus has been quiet. A read that fails (the database is down) is retried with backoff
 * until it succeeds. So local listeners see every committed event, in id order, once.
 */

export function createEventFeed(opts: EventFeedOptions): EventFeed {
  const core = createFeedCore(opts, () => readGap());
  const { state, held, deliver } = core;
  let heldTimer: ReturnType<typeof setTimeout> | null = null;
  const reorderWaitMs = opts.reorderWaitMs ?? 30;

  /** Delivers held events that now follow on; forgets those already delivered (a gap read brought them). */
  const releaseHeld = () => {
    if (held.size === 0 || state.last === null) return;
    for (let next = held.get(nextId(state.last)); next; next = held.get(nextId(state.last))) deliver(next);
    for (const id of held.keys()) if (!idAfter(id, state.last)) held.delete(id);
    if (held.size === 0 && heldTimer !== null) {
      clearTimeout(heldTimer);
      heldTimer = null;
    }
  };

  const readGap = async () => {
    if (state.last === null) {
      state.last = (await repositoriesFor(opts.orm.em.fork()).events.maxId()) ?? '0';
      return;
    }
    opts.onGapRead?.();
    for await (const event of eventsAfter(opts.orm, state.last)) deliver(event);
    releaseHeld();
  };

  /** An index-only query: cheap enough to run whenever the bus has been quiet for a while. */
  const checkMax = async () => {
    const max = await repositoriesFor(opts.orm.em.fork()).events.maxId();
    if (state.last === null || (max !== null && idAfter(max, state.last))) await readGap();
  };

  const ingest = (event: StoredEvent) => {
    core.markActive();
    return core.serial(async () => {
      const last = state.last;
      if (last !== null && !idAfter(event.id, last)) return;
      if (last !== null && event.id === nextId(last)) {
        deliver(event);
        return releaseHeld();
      }
      // A gap: the database has everything up to this id, since appends commit in id order.
      // While a retry is pending the database is failing: that retry will read this gap too.
      if (core.retrying()) return;
      // Usually the predecessor is a moment behind on the bus: wait for it a little first.
      if (last !== null && reorderWaitMs > 0 && held.size < HELD_MAX) {
        held.set(event.id, event);
        heldTimer ??= setTimeout(() => {
          heldTimer = null;
          // Still missing (an append rolled back, a publish lost): the database decides.
          if (held.size > 0) void core.attempt(readGap);
        }, reorderWaitMs);
        return;
      }
      await core.tryRead(readGap);
    });
  };

  const running = core.start(ingest, checkMax);
  return {
    ...running,
    scoped: false,
    follow: () => Promise.resolve(),
    unfollow: () => {},
    followed: () => [],
    close() {
      if (heldTimer !== null) clearTimeout(heldTimer);
      running.close();
    },
  };
}
