import type { EventBus } from '../bus/event-bus';
import type { OnlineUser } from './presence';

export interface TypingEvent {
  user: OnlineUser;
  typing: boolean;
}

/** How long "is typing" lasts without a renewal; clients renew every few seconds while typing. */
export const TYPING_TTL_MS = 5_000;

/**
 * This instance's view of who is typing. Starts come over the bus from any instance; the stop
 * is decided here, when the renewal does not come in time, when the user says so, or when
 * their message arrives.
 */
export function createTypingTracker(bus: EventBus, ttlMs = TYPING_TTL_MS) {
  const typers = new Map<string, { user: OnlineUser; timer: NodeJS.Timeout }>();
  const listeners = new Set<(event: TypingEvent) => void>();
  const emit = (event: TypingEvent) => listeners.forEach((l) => l(event));

  const stop = (user: OnlineUser) => {
    const entry = typers.get(user.id);
    if (!entry) return;
    clearTimeout(entry.timer);
    typers.delete(user.id);
    emit({ user, typing: false });
  };

  const unsubscribe = bus.subscribe((event) => {
    if (event.type === 'message') stop(event.message.author);
    if (event.type !== 'typing') return;
    if (!event.typing) return stop(event.user);
    const previous = typers.get(event.user.id);
    clearTimeout(previous?.timer);
    typers.set(event.user.id, { user: event.user, timer: setTimeout(() => stop(event.user), ttlMs) });
    if (!previous) emit({ user: event.user, typing: true });
  });

  return {
    /** Who is typing right now: what a new subscriber is told first. */
    typingNow: (): OnlineUser[] => [...typers.values()].map((e) => e.user),
    subscribe(listener: (event: TypingEvent) => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    close() {
      unsubscribe();
      typers.forEach((e) => clearTimeout(e.timer));
      typers.clear();
    },
  };
}
export type TypingTracker = ReturnType<typeof createTypingTracker>;
