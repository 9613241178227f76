import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { EventRepository } from '../repositories/event.repository';
import { Room } from './room.entity';

/**
 * The durable event log behind chat.onEvent (docs/decisions/070-event-model.md). Ids come from
 * one sequence, taken under the append lock, so commit order is id order.
 */
export const ChatEventRow = defineEntity({
  name: 'ChatEventRow',
  tableName: 'events',
  repository: () => EventRepository,
  properties: (p) => ({
    id: p.bigint('string').primary().autoincrement(),
    type: p.string().length(32),
    room: () => p.manyToOne(Room).deleteRule('cascade'),
    /** The subject: the author, the user who joined or left, the reader. */
    userId: p.uuid().nullable(),
    /** Who did it, when not the subject (an invite, a removal). */
    actorId: p.uuid().nullable(),
    /** message.created, read.updated: the message (rendered from the messages table when read). */
    messageId: p.bigint('string').nullable(),
    payload: p.json().nullable(),
    createdAt: p.datetime(),
  }),
  indexes: [
    { name: 'events_room_id_id_index', properties: ['room', 'id'] },
    // What the retention job keeps of old events, found without a scan (docs/decisions/168-event-retention.md).
    {
      name: 'events_message_state_index',
      expression:
        'create index "events_message_state_index" on "events" ("message_id", "type", "id") where "type" in (\'message.edited\', \'message.deleted\', \'message.preview\')',
    },
  ],
});

export type ChatEventRow = InferEntity<typeof ChatEventRow>;
