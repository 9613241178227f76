import { EVERYONE_ROOM_ID } from '@chat/db';
import { everyoneTypingStream, type PresenceUpdate, presenceStream } from '../events/presence-streams';
import type { OnlineUser } from '../presence/presence';
import { streamDeps } from './chat.service';
import type { CallDeps } from './deps';
import { requireMember } from './room-access';

export type { PresenceUpdate };

export function createPresenceService(call: CallDeps) {
  const { bus, typing, limits } = call;
  return {
    /** A snapshot of who is online, then joins and leaves: this instance's view, which repairs itself. */
    presence(self: string, signal: AbortSignal) {
      return presenceStream(streamDeps(call), { userId: self, signal });
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
    typing(self: string, signal: AbortSignal) {
      return everyoneTypingStream(streamDeps(call), { userId: self, signal });
    },
  };
}
