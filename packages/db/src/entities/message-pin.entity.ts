import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { MessagePinRepository } from '../repositories/message-pin.repository';
import { Message } from './message.entity';
import { Room } from './room.entity';
import { User } from './user.entity';

/**
 * A pinned message of a room (docs/decisions/154-pinned-messages.md): one row per message, gone
 * with the message's delete (in its transaction). Queries live in MessagePinRepository.
 */
export const MessagePin = defineEntity({
  name: 'MessagePin',
  tableName: 'message_pins',
  repository: () => MessagePinRepository,
  properties: (p) => ({
    message: () => p.manyToOne(Message).primary().deleteRule('cascade'),
    room: () => p.manyToOne(Room).deleteRule('cascade'),
    pinnedBy: () => p.manyToOne(User).nullable().deleteRule('set null'),
    /** Whole milliseconds, so the list's order (newest first) is the one clients fold to from events. */
    pinnedAt: p.datetime(),
  }),
  indexes: [{ name: 'message_pins_room_id_pinned_at_index', properties: ['room', 'pinnedAt'] }],
});

export type MessagePin = InferEntity<typeof MessagePin>;
