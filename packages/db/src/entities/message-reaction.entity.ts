import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { MessageReactionRepository } from '../repositories/message-reaction.repository';
import { Message } from './message.entity';
import { User } from './user.entity';

/** One user's reaction with one emoji; the id orders reactions (oldest first) for display. */
export const MessageReaction = defineEntity({
  name: 'MessageReaction',
  tableName: 'message_reactions',
  repository: () => MessageReactionRepository,
  properties: (p) => ({
    id: p.bigint('string').primary().autoincrement(),
    message: () => p.manyToOne(Message).deleteRule('cascade'),
    user: () => p.manyToOne(User).deleteRule('cascade'),
    /** The emoji as the server's emoji set writes it (fully qualified). */
    emoji: p.string().length(64),
    createdAt: p.datetime(),
    /**
     * Where the emoji sits among the message's reactions: the id of the reaction that brought it in
     * since it last had none. Taking one's reaction back moves no emoji, so a client that applies
     * reaction.changed (a new emoji goes last, count 0 removes it) keeps the server's order.
     */
    emojiOrder: p.bigint('string'),
  }),
  uniques: [{ name: 'message_reactions_message_user_emoji_unique', properties: ['message', 'user', 'emoji'] }],
  indexes: [{ name: 'message_reactions_message_id_id_index', properties: ['message', 'id'] }],
});

export type MessageReaction = InferEntity<typeof MessageReaction>;
