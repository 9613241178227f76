import { EVERYONE_ROOM_ID } from '@chat/db';
import { BufferedSubscription } from '../bus/buffered-subscription';
import type { OnlineUser } from '../presence/presence';
import type { PresenceChange } from '../presence/presence-view';
import type { RoomTypingEvent, TypingEvent } from '../presence/typing';
import type { CallDeps } from './deps';
import { requireMember } from './room-access';

export type PresenceUpdate = { type: 'snapshot'; users: OnlineUser[] } | { type: 'join' | 'leave'; user: OnlineUser };

const BUFFER = 1000;

export function createPresenceService(call: CallDeps) {
  const { bus, presence, typing, limits } = call;
  return {
    /** A snapshot of who is online, then joins and leaves: this instance's view, which repairs itself. */
    async *presence(signal: AbortSignal): AsyncGenerator<PresenceUpdate> {
      await presence.ready;
      // Subscribed and snapshotted in one step: no change falls between them, none is told twice.
      const live = new BufferedSubscription<PresenceChange>(presence.view.subscribe, BUFFER, signal);
      const snapshot = presence.view.snapshot();
      try {
        yield { type: 'snapshot', users: snapshot };
        for (let change = await live.next(); change; change = await live.next()) {
          yield { type: change.online ? 'join' : 'leave', user: change.user };
        }
        // Overflowed: a fresh snapshot is the whole truth again.
        if (live.overflowed) yield { type: 'snapshot', users: presence.view.snapshot() };
      } finally {
        live.close();
      }
    },

    /** Without `roomId`: #everyone, as before rooms. Elsewhere members only (room-access rule). */
    async setTyping(user: OnlineUser, isTyping: boolean, roomId?: string): Promise<void> {
      if (roomId !== undefined) await requireMember(call.repos, roomId, user.id);
      // Without the bus other instances would not hear it, nor the stop: typing pauses until Redis is back.
      if (!bus.healthy()) return;
      if (isTyping) await limits.consumeTyping(user.id);
      // A stop for someone not shown typing would reach no client, yet cost a message to every instance:
      // not sent, so stops need no limit of their own. (A stop on another instance that outruns its start's echo over Redis: the TTL ends it.)
      else if (!typing.isTyping(user.id, roomId ?? EVERYONE_ROOM_ID)) return;
      // #everyone is sent without roomId, as instances from before rooms expect.
      bus.publish(roomId === undefined || roomId === EVERYONE_ROOM_ID ? { type: 'typing', user, typing: isTyping } : { type: 'typing', user, typing: isTyping, roomId });
    },

    /** Who is typing in #everyone now, then starts and stops; never the subscriber's own typing. */
    async *typing(self: string, signal: AbortSignal): AsyncGenerator<TypingEvent> {
      const live = new BufferedSubscription<RoomTypingEvent>(typing.subscribe, BUFFER, signal);
      try {
        for (const user of typing.typingNow()) if (user.id !== self) yield { user, typing: true };
        for (let event = await live.next(); event; event = await live.next()) {
          // chat.onTyping is #everyone's, in its shape from before rooms (no roomId).
          if (event.user.id !== self && event.roomId === EVERYONE_ROOM_ID) yield { user: event.user, typing: event.typing };
        }
      } finally {
        live.close();
      }
    },
  };
}
