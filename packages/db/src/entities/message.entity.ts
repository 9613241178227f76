import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { MessageRepository } from '../repositories/message.repository';
import { Room } from './room.entity';
import { User } from './user.entity';

export const Message = defineEntity({
  name: 'Message',
  tableName: 'messages',
  repository: () => MessageRepository,
  properties: (p) => ({
    // A database sequence: ids grow strictly, which is what resume-by-lastEventId relies on.
    id: p.bigint('string').primary().autoincrement(),
    author: () => p.manyToOne(User).deleteRule('cascade'),
    room: () => p.manyToOne(Room).deleteRule('cascade'),
    text: p.text(),
    clientMessageId: p.string().length(64).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  }),
  // A retried clientMessageId is the same message only in the same room: replays never cross rooms.
  uniques: [{ name: 'messages_author_room_client_message_id_unique', properties: ['author', 'room', 'clientMessageId'] }],
  indexes: [{ name: 'messages_room_id_id_index', properties: ['room', 'id'] }],
});

export type Message = InferEntity<typeof Message>;
