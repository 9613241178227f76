import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { MessageRepository } from '../repositories/message.repository';
import { User } from './user.entity';

export const Message = defineEntity({
  name: 'Message',
  tableName: 'messages',
  repository: () => MessageRepository,
  properties: (p) => ({
    // A database sequence: ids grow strictly, which is what resume-by-lastEventId relies on.
    id: p.bigint('string').primary().autoincrement(),
    author: () => p.manyToOne(User).deleteRule('cascade'),
    text: p.text(),
    clientMessageId: p.string().length(64).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  }),
  uniques: [{ name: 'messages_author_client_message_id_unique', properties: ['author', 'clientMessageId'] }],
});

export type Message = InferEntity<typeof Message>;
