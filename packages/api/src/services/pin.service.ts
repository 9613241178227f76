import type { AuditDraft, PinRecord } from '@chat/db';
import type { z } from 'zod';
import { DomainError } from '../errors';
import { publishEvents } from '../events/publish';
import type { Pin, UserRef } from '../room-shapes';
import { MAX_PINS_PER_ROOM, type pinInput } from '../schemas/pin.schema';
import { toChatMessage } from '../shapes';
import type { CallDeps } from './deps';
import { messageNotFound } from './message.service';
import { refuseIfMuted } from './mute';
import { requireMember } from './room-access';
import { pinRight } from './room-moderation';

const toPin = (p: PinRecord): Pin => {
  const { reactions: _reactions, ...message } = { ...toChatMessage(p.message), roomId: p.message.roomId };
  return { message, pinnedBy: p.pinnedBy, pinnedAt: p.pinnedAt.toISOString() };
};

/**
 * Pinned messages (docs/decisions/154-pinned-messages.md): a channel's moderators pin (audited); in
 * DMs, group DMs and private rooms any member does. Only a room's own messages, not deleted, at most
 * MAX_PINS_PER_ROOM per room; each change is an event to the room.
 */
export function createPinService(call: CallDeps) {
  const { bus, limits } = call;
  const repos = () => call.repos;

  /** The message and the caller's right to change its pin; refusals in the order that reveals least. */
  const judge = async (user: UserRef, messageId: string, verb: 'pin' | 'unpin') => {
    const target = await repos().messages.findTarget(messageId, user.id);
    if (!target) throw messageNotFound();
    const room = (await repos().rooms.findById(target.roomId))!;
    if (!(await pinRight(repos(), user.id, room))) throw new DomainError('FORBIDDEN', `Only the channel’s moderators can ${verb} messages`);
    await refuseIfMuted(call, user.id);
    // A channel moderator's pin is a moderation action: in the audit log, committed with the pin.
    const audit = (action: 'message.pin' | 'message.unpin'): AuditDraft | undefined =>
      room.kind === 'channel' ? { actor: user, action, target: null, details: { messageId, roomId: room.id, room: room.name, authorId: target.authorId } } : undefined;
    return { target, room, audit };
  };

  return {
    async pin(user: UserRef, { messageId }: z.output<typeof pinInput>): Promise<null> {
      await limits.consumeRoomWrite(user.id);
      const { target, room, audit } = await judge(user, messageId, 'pin');
      if (target.deleted) throw new DomainError('BAD_REQUEST', 'This message was deleted; it cannot be pinned');
      const result = await repos().pins.pin({ messageId, roomId: room.id, user, max: MAX_PINS_PER_ROOM, audit: audit('message.pin') });
      if (result.status === 'full') throw new DomainError('BAD_REQUEST', `A room can have at most ${MAX_PINS_PER_ROOM} pinned messages; unpin one first`);
      if (result.status === 'unpinnable') throw new DomainError('BAD_REQUEST', 'Only messages in the room’s timeline can be pinned, not replies kept in a thread');
      if (result.status === 'ok') publishEvents(bus, [result.event]);
      return null;
    },

    /** Unpinning a message that is not pinned changes nothing. */
    async unpin(user: UserRef, { messageId }: z.output<typeof pinInput>): Promise<null> {
      await limits.consumeRoomWrite(user.id);
      const { room, audit } = await judge(user, messageId, 'unpin');
      const event = await repos().pins.unpin({ messageId, roomId: room.id, user, audit: audit('message.unpin') });
      publishEvents(bus, [event]);
      return null;
    },

    /** The room's pins, newest first; members only (the room access rule). */
    async list(user: UserRef, roomId: string): Promise<Pin[]> {
      await requireMember(repos(), roomId, user.id);
      return (await repos().pins.listForRoom(roomId, MAX_PINS_PER_ROOM)).map(toPin);
    },
  };
}
