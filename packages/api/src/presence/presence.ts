import type { EventBus } from '../bus/event-bus';
import type { OnlineUser } from '../room-shapes';
import { createPresenceView, type PresenceView } from './presence-view';

// The wire shape lives with the events that carry it; presence's own importers keep finding it here.
export type { OnlineUser };

/**
 * Who is online: a user with at least one live authenticated socket on any instance (several
 * tabs count once). Joins and leaves are published on the bus as presence events.
 */
export interface Presence {
  connected(user: OnlineUser): void;
  disconnected(user: OnlineUser): void;
  /** The shared truth: who is online now (what user.search reports). */
  online(): Promise<OnlineUser[]>;
  onlineAmong(userIds: string[]): Promise<Set<string>>;
  /** What this instance's onPresence subscribers are told: a snapshot, then its changes. */
  view: Pick<PresenceView, 'snapshot' | 'subscribe' | 'get'>;
  /** Settles once the view has first been loaded from the truth (or that failed). */
  ready: Promise<void>;
  close(): Promise<void>;
}

/** A view that follows the presence events on the bus, whichever instance published them. */
export function viewFollowing(bus: EventBus) {
  const view = createPresenceView();
  const unsubscribe = bus.subscribe((event) => {
    if (event.type === 'presence') view.apply(event.user, event.online);
  });
  return { view, unsubscribe };
}

/**
 * Sockets per user on this instance; reports the 0→1 and 1→0 transitions. The last socket's
 * close is reported only after a grace period, so a reconnect (a token renewal, a network blip,
 * a page reload) does not show everyone a leave and a join.
 */
export function createLocalCounts(onFirst: (user: OnlineUser) => void, onLast: (user: OnlineUser) => void, graceMs: number) {
  const counts = new Map<string, { user: OnlineUser; sockets: number; leaving?: NodeJS.Timeout }>();
  return {
    counts,
    add(user: OnlineUser) {
      const entry = counts.get(user.id) ?? { user, sockets: 0 };
      entry.sockets++;
      counts.set(user.id, entry);
      if (entry.leaving) {
        clearTimeout(entry.leaving);
        entry.leaving = undefined;
      } else if (entry.sockets === 1) onFirst(user);
    },
    remove(user: OnlineUser) {
      const entry = counts.get(user.id);
      if (!entry || entry.sockets === 0) return;
      entry.sockets--;
      if (entry.sockets > 0) return;
      entry.leaving = setTimeout(() => {
        counts.delete(user.id);
        onLast(user);
      }, graceMs);
      entry.leaving.unref();
    },
    /** Drops everyone at once (shutdown), without the grace period. */
    clear() {
      const users = [...counts.values()].map((e) => {
        clearTimeout(e.leaving);
        return e.user;
      });
      counts.clear();
      return users;
    },
  };
}

/** How long after their last socket closes a user still counts as online. */
export const PRESENCE_GRACE_MS = 2_000;

export function createMemoryPresence(bus: EventBus, graceMs = PRESENCE_GRACE_MS): Presence {
  // One instance: every event is delivered in process, so the view needs no repair.
  const { view, unsubscribe } = viewFollowing(bus);
  const local = createLocalCounts(
    (user) => bus.publish({ type: 'presence', user, online: true }),
    (user) => bus.publish({ type: 'presence', user, online: false }),
    graceMs,
  );
  return {
    connected: local.add,
    disconnected: local.remove,
    online: async () => [...local.counts.values()].map((e) => e.user),
    onlineAmong: async (ids) => new Set(ids.filter((id) => local.counts.has(id))),
    view,
    ready: Promise.resolve(),
    close: async () => {
      unsubscribe();
      local.clear();
    },
  };
}
