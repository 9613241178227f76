import type { OnlineUser } from '../room-shapes';

export interface PresenceChange {
  user: OnlineUser;
  online: boolean;
}

/**
 * Who this instance's subscribers have been told is online: the one state every local
 * onPresence stream is a snapshot of plus changes to. Events (joins and leaves from any
 * instance) move it at once; a reconcile against the shared truth repairs whatever events were
 * lost (a Redis outage drops pub/sub messages, a stalled instance misses or causes them).
 * docs/decisions/060-presence-converges.md has the model.
 */
export function createPresenceView() {
  const online = new Map<string, OnlineUser>();
  /** Per user, the sequence number of the last event applied; only while a read may predate it. */
  const touched = new Map<string, number>();
  const listeners = new Set<(change: PresenceChange) => void>();
  let seq = 0;

  const set = (user: OnlineUser, isOnline: boolean) => {
    if (online.has(user.id) === isOnline) return;
    if (isOnline) online.set(user.id, user);
    else online.delete(user.id);
    for (const listener of listeners) listener({ user, online: isOnline });
  };

  return {
    /** A join or a leave, from this instance or another: newer than any read still in flight. */
    apply(user: OnlineUser, isOnline: boolean) {
      touched.set(user.id, ++seq);
      set(user, isOnline);
    },
    /** Call right before reading the truth; hand the result to settle(). One read at a time. */
    beginRead: () => seq,
    /**
     * Moves the view to the truth as read, except for users an event touched after the read
     * began: that event is newer than the read, and the next reconcile checks it again.
     */
    settle(readAt: number, truth: readonly OnlineUser[]) {
      const truthById = new Map(truth.map((u) => [u.id, u]));
      const fresh = (id: string) => (touched.get(id) ?? 0) <= readAt;
      for (const user of [...online.values()]) if (!truthById.has(user.id) && fresh(user.id)) set(user, false);
      for (const user of truth) if (!online.has(user.id) && fresh(user.id)) set(user, true);
      for (const [id, at] of touched) if (at <= readAt) touched.delete(id);
    },
    snapshot: (): OnlineUser[] => [...online.values()],
    /** The user when online (chat.onEvent's scoped presence reads it user by user). */
    get: (userId: string): OnlineUser | undefined => online.get(userId),
    subscribe(listener: (change: PresenceChange) => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
export type PresenceView = ReturnType<typeof createPresenceView>;
