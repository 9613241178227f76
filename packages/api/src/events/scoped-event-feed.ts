import { repositoriesFor } from '@chat/db';
import type { BusScope } from '../bus/event-bus';
import { splitTopics, type Topic, USER_TOPIC_EVENT_TYPES } from '../bus/topics';
import { idAfter, nextId } from '../schemas/ids';
import type { EventFeed, EventFeedOptions } from './feed-contract';
import { createFeedCore } from './feed-core';
import { OWN_EVENT_TYPES, type StoredEvent, toStoredEvent } from './stored-event';

/** How long a topic nobody here wants stays followed, so a reader who reconnects does not cost an unsubscribe and a subscribe. */
export const DEFAULT_LINGER_MS = 5_000;
/** Ids read per query when checking a range (more after an outage: the range is read page by page). */
const PAGE = 1_000;
/** Bus events held at most; past it (the database is down) they are dropped, and the check reads them back. */
const HELD_MAX = 10_000;

/**
 * The feed over a scoped bus (docs/decisions/158): this instance hears only the topics its readers
 * follow, so an id that is not the next one no longer means a lost event; it is mostly another
 * room's. What was committed for the followed topics up to an id is asked of PostgreSQL instead
 * (ids only, an index range; the bus's copies are used, and only an event the bus lost is read
 * whole). Events wait `reorderWaitMs` for stragglers, then one such check covers all that came.
 * A topic newly followed is subscribed before the feed goes past the event that asked for it (a
 * join), and that check reads what the bus missed meanwhile; so listeners still see every event
 * of their topics, in id order, once.
 */
export function createScopedEventFeed(opts: EventFeedOptions & { scope: BusScope; lingerMs?: number }): EventFeed {
  const newest = () => repositoriesFor(opts.orm.em.fork()).events.maxId();
  const core = createFeedCore(opts, () => readTo(newest));
  // `held`: bus events ahead of `last`, waiting for the check that confirms nothing of ours comes before them.
  const { state, held, deliver } = core;
  const reorderWaitMs = opts.reorderWaitMs ?? 30;
  const lingerMs = opts.lingerMs ?? DEFAULT_LINGER_MS;
  let closed = false;
  let checkTimer: ReturnType<typeof setTimeout> | null = null;
  /** Who wants each topic here (streams, readers being opened); at zero it lingers, then is dropped. */
  const wanted = new Map<Topic, number>();
  /** Topics the bus delivers (or was asked to): what the database checks cover. */
  const followed = new Set<Topic>();
  /** Wanted but not yet subscribed: the feed subscribes before it delivers anything further. */
  const growing = new Set<Topic>();
  const lingering = new Map<Topic, ReturnType<typeof setTimeout>>();

  const grow = async () => {
    if (growing.size === 0) return;
    const topics = [...growing];
    growing.clear();
    for (const topic of topics) followed.add(topic);
    // A subscription that fails still counts as followed: the database checks (and the poll while the bus is down) cover it.
    await opts.scope.follow(topics).catch((error: unknown) => opts.onError?.(error));
  };

  /**
   * Delivers every event of the followed topics with an id up to `upTo`, in order: the bus's copy
   * when it came, the database's when it did not. Stops to subscribe when a delivery makes a
   * reader want a new topic, then checks again from there. Call inside `serial` only.
   */
  const check = async (upTo: string) => {
    let target = upTo;
    let grew = growing.size > 0;
    await grow();
    for (;;) {
      while (state.last !== null && idAfter(target, state.last)) {
        const { roomIds, userIds } = splitTopics(followed);
        const events = repositoriesFor(opts.orm.em.fork()).events;
        const ids = await events.idsFor(state.last, target, { roomIds, userIds, userTypes: USER_TOPIC_EVENT_TYPES, roomExcludedTypes: OWN_EVENT_TYPES }, PAGE);
        const missing = ids.filter((id) => !held.has(id));
        if (missing.length > 0) opts.onGapRead?.();
        const read = new Map<string, StoredEvent>();
        if (missing.length > 0) for (const record of await events.listByIds(missing)) read.set(record.id, toStoredEvent(record));
        let stopped = false;
        for (const id of ids) {
          const event = held.get(id) ?? read.get(id);
          if (event) deliver(event);
          if (growing.size > 0) {
            stopped = true;
            break;
          }
        }
        if (stopped) {
          grew = true;
          await grow();
          continue;
        }
        state.last = ids.length === PAGE ? ids[ids.length - 1]! : target;
      }
      if (!grew) break;
      // A new topic's events published before its subscription took are only in the database: read up to now.
      grew = false;
      const newestId = await newest();
      if (newestId === null || state.last === null || !idAfter(newestId, state.last)) break;
      target = newestId;
    }
    for (const id of held.keys()) if (state.last !== null && !idAfter(id, state.last)) held.delete(id);
    core.markActive();
  };

  const readTo = async (upTo: () => Promise<string | null>) => {
    if (state.last === null) {
      state.last = (await newest()) ?? '0';
      return;
    }
    const target = await upTo();
    if (target !== null) await check(target);
  };
  const newestHeld = async () => {
    let max: string | null = null;
    for (const id of held.keys()) if (max === null || idAfter(id, max)) max = id;
    return max;
  };

  const ingest = (event: StoredEvent) =>
    core.serial(async () => {
      const last = state.last;
      if (last !== null && !idAfter(event.id, last)) return;
      // The next id: nothing can come before it, ours or not.
      if (last !== null && event.id === nextId(last) && held.size === 0 && growing.size === 0) return deliver(event);
      if (held.size < HELD_MAX) held.set(event.id, event);
      if (core.retrying() || checkTimer !== null) return;
      checkTimer = setTimeout(() => {
        checkTimer = null;
        void core.attempt(() => readTo(newestHeld));
      }, reorderWaitMs);
    });

  // A publish lost with nothing of ours after it: only the database knows it.
  const running = core.start(ingest, () => readTo(newest));
  return {
    ...running,
    scoped: true,
    follow(topics) {
      for (const topic of topics) {
        const count = wanted.get(topic) ?? 0;
        wanted.set(topic, count + 1);
        const timer = lingering.get(topic);
        if (timer !== undefined) {
          clearTimeout(timer);
          lingering.delete(topic);
        }
        if (!followed.has(topic)) growing.add(topic);
      }
      // Inside a delivery the running check subscribes before going on; otherwise this does, and reads what the bus missed meanwhile.
      return growing.size === 0 ? Promise.resolve() : core.attempt(async () => (state.last === null ? grow() : check(state.last)));
    },
    unfollow(topics) {
      for (const topic of topics) {
        const count = (wanted.get(topic) ?? 1) - 1;
        if (count > 0) {
          wanted.set(topic, count);
          continue;
        }
        wanted.delete(topic);
        if (closed || lingering.has(topic)) continue;
        const timer = setTimeout(() => {
          lingering.delete(topic);
          if (wanted.has(topic)) return;
          growing.delete(topic);
          if (followed.delete(topic)) opts.scope.unfollow([topic]);
        }, lingerMs);
        timer.unref();
        lingering.set(topic, timer);
      }
    },
    followed: () => [...followed],
    close() {
      closed = true;
      if (checkTimer !== null) clearTimeout(checkTimer);
      for (const timer of lingering.values()) clearTimeout(timer);
      running.close();
    },
  };
}
