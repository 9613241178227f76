import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { Message } from './message.entity';
import { User } from './user.entity';

/** A member named as `@username` in a message's current text; rewritten on edit, removed on delete. */
export const MessageMention = defineEntity({
  name: 'MessageMention',
  tableName: 'message_mentions',
  properties: (p) => ({
    message: () => p.manyToOne(Message).primary().deleteRule('cascade'),
    user: () => p.manyToOne(User).primary().deleteRule('cascade'),
    /** Order of first appearance in the text. */
    position: p.smallint(),
  }),
  // A user's unread mentions are counted from this side.
  indexes: [{ name: 'message_mentions_user_message_index', properties: ['user', 'message'] }],
});

export type MessageMention = InferEntity<typeof MessageMention>;
