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
    /** The last edit's time (issue 15). */
    editedAt: p.datetime().nullable(),
    /** Set by a delete, which also empties `text` and drops the message's mentions and reactions. */
    deletedAt: p.datetime().nullable(),
    /** 'author' or 'moderator' (issue 16). */
    deletedBy: p.string().length(16).nullable(),
    /** The message this one answers; replies are rendered from its current state. */
    replyTo: () => p.manyToOne(Message).nullable().deleteRule('set null'),
    /** The link preview card, or `{ url, removed: true }` once its author removed it (docs/decisions/138-link-previews.md). */
    preview: p.json().nullable(),
    /** The thread this message answers, by its root; null for a message of the room (docs/decisions/145-threads.md). */
    threadRoot: () => p.manyToOne(Message).nullable().deleteRule('cascade'),
    /** False only for a thread reply not also sent to the room: room history, unread and chat.onMessage skip it. */
    inRoom: p.boolean().default(true),
    /** On a root: its replies (deleted ones included: they stay in the thread as placeholders). */
    threadReplyCount: p.integer().default(0),
    threadLastReplyAt: p.datetime().nullable(),
    /** On a root: the ids of its last repliers, newest first, at most 3. */
    threadRepliers: p.json().nullable(),
    // Full-text search (docs/decisions/100-message-lifecycle.md): 'simple' config, computed by PostgreSQL from the current text.
    searchVector: p.string().columnType('tsvector').generated("(to_tsvector('simple', text)) stored").nullable().lazy().hidden(),
  }),
  // A retried clientMessageId is the same message only in the same room: replays never cross rooms.
  uniques: [{ name: 'messages_author_room_client_message_id_unique', properties: ['author', 'room', 'clientMessageId'] }],
  indexes: [
    { name: 'messages_room_id_id_index', properties: ['room', 'id'] },
    // Replies by root; only replies have one, and every read by root implies `is not null` (docs/decisions/163-years-of-data.md).
    {
      name: 'messages_thread_replies_index',
      expression: 'create index "messages_thread_replies_index" on "messages" ("thread_root_id", "id") where "thread_root_id" is not null',
    },
    // Unread counts read it alone (docs/decisions/163-years-of-data.md).
    {
      name: 'messages_room_unread_index',
      expression: 'create index "messages_room_unread_index" on "messages" ("room_id", "id") include ("author_id") where "in_room"',
    },
    { name: 'messages_search_vector_index', expression: 'create index "messages_search_vector_index" on "messages" using gin ("search_vector")' },
  ],
});

export type Message = InferEntity<typeof Message>;
