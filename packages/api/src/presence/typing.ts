import { EVERYONE_ROOM_ID } from '@chat/db';
import type { EventBus } from '../bus/event-bus';
import type { OnlineUser } from './presence';

export interface TypingEvent {
  user: OnlineUser;
  typing: boolean;
}

/** Typing in one room: what the tracker tells its listeners. */
export interface RoomTypingEvent extends TypingEvent {
  roomId: string;
}

/** How long "is typing" lasts without a renewal; clients renew every few seconds while typing. */
export const TYPING_TTL_MS = 5_000;

/**
 * This instance's view of who is typing. Starts come over the bus from any instance; the stop
 * is decided here, when the renewal does not come in time, when the user says so, or when
 * their message arrives.
 */
export function createTypingTracker(bus: EventBus, ttlMs = TYPING_TTL_MS) {
  // Keyed by room and user: one user may be typing in two rooms (two tabs).
  const typers = new Map<string, { user: OnlineUser; roomId: string; timer: NodeJS.Timeout }>();
  const listeners = new Set<(event: RoomTypingEvent) => void>();
  const emit = (event: RoomTypingEvent) => listeners.forEach((l) => l(event));
  const keyOf = (roomId: string, userId: string) => `${roomId}/${userId}`;

  const stop = (user: OnlineUser, roomId: string) => {
    const key = keyOf(roomId, user.id);
    const entry = typers.get(key);
    if (!entry) return;
    clearTimeout(entry.timer);
    typers.delete(key);
    emit({ user, roomId, typing: false });
  };

  const unsubscribe = bus.subscribe((event) => {
    if (event.type === 'event' && event.event.type === 'message.created' && event.event.message) {
      return stop(event.event.message.author, event.event.roomId);
    }
    if (event.type !== 'typing') return;
    // An instance from before rooms sends no roomId: it meant #everyone.
    const roomId = event.roomId ?? EVERYONE_ROOM_ID;
    if (!event.typing) return stop(event.user, roomId);
    const key = keyOf(roomId, event.user.id);
    const previous = typers.get(key);
    clearTimeout(previous?.timer);
    typers.set(key, { user: event.user, roomId, timer: setTimeout(() => stop(event.user, roomId), ttlMs) });
    if (!previous) emit({ user: event.user, roomId, typing: true });
  });

  return {
    /** Who is typing right now in any of `roomIds`: what a chat.onEvent stream is told when it starts. */
    typingIn: (roomIds: ReadonlySet<string>): RoomTypingEvent[] =>
      [...typers.values()].filter((e) => roomIds.has(e.roomId)).map((e) => ({ user: e.user, roomId: e.roomId, typing: true })),
    /** Whether `userId` is shown typing in `roomId` (started on any instance, not stopped or expired). */
    isTyping: (userId: string, roomId: string = EVERYONE_ROOM_ID): boolean => typers.has(keyOf(roomId, userId)),
    /** Who is typing right now in `roomId`: what a new subscriber is told first. */
    typingNow: (roomId: string = EVERYONE_ROOM_ID): OnlineUser[] => [...typers.values()].filter((e) => e.roomId === roomId).map((e) => e.user),
    subscribe(listener: (event: RoomTypingEvent) => void) {
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
