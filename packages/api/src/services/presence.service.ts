import { BufferedSubscription } from '../bus/buffered-subscription';
import type { LiveEvent } from '../bus/event-bus';
import type { OnlineUser } from '../presence/presence';
import type { TypingEvent } from '../presence/typing';
import type { CallDeps } from './deps';

export type PresenceUpdate = { type: 'snapshot'; users: OnlineUser[] } | { type: 'join' | 'leave'; user: OnlineUser };

const BUFFER = 1000;

export function createPresenceService({ bus, presence, typing, limits }: CallDeps) {
  return {
    /** A snapshot of who is online, then joins and leaves. */
    async *presence(signal: AbortSignal): AsyncGenerator<PresenceUpdate> {
      const live = new BufferedSubscription<Extract<LiveEvent, { type: 'presence' }>>(
        (listener) =>
          bus.subscribe((event) => {
            if (event.type === 'presence') listener(event);
          }),
        BUFFER,
        signal,
      );
      try {
        yield { type: 'snapshot', users: await presence.online() };
        for (let event = await live.next(); event; event = await live.next()) {
          yield { type: event.online ? 'join' : 'leave', user: event.user };
        }
        // Overflowed: a fresh snapshot is the whole truth again.
        if (live.overflowed) yield { type: 'snapshot', users: await presence.online() };
      } finally {
        live.close();
      }
    },

    async setTyping(user: OnlineUser, isTyping: boolean): Promise<void> {
      if (isTyping) await limits.consumeTyping(user.id);
      bus.publish({ type: 'typing', user, typing: isTyping });
    },

    /** Who is typing now, then starts and stops; never the subscriber's own typing. */
    async *typing(self: string, signal: AbortSignal): AsyncGenerator<TypingEvent> {
      const live = new BufferedSubscription<TypingEvent>(typing.subscribe, BUFFER, signal);
      try {
        for (const user of typing.typingNow()) if (user.id !== self) yield { user, typing: true };
        for (let event = await live.next(); event; event = await live.next()) {
          if (event.user.id !== self) yield event;
        }
      } finally {
        live.close();
      }
    },
  };
}
