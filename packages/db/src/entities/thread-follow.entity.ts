import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { ThreadRepository } from '../repositories/thread.repository';
import { Message } from './message.entity';
import { User } from './user.entity';

/**
 * A user's state in one thread (docs/decisions/145-threads.md): whether they follow it (the row
 * stays after an unfollow, so a root's author who left is not signed up again by the next reply)
 * and how far they have read it, across devices.
 */
export const ThreadFollow = defineEntity({
  name: 'ThreadFollow',
  tableName: 'thread_follows',
  repository: () => ThreadRepository,
  properties: (p) => ({
    root: () => p.manyToOne(Message).primary().deleteRule('cascade'),
    user: () => p.manyToOne(User).primary().deleteRule('cascade'),
    following: p.boolean(),
    lastReadMessageId: p.bigint('string').nullable(),
  }),
  // thread.list reads a user's followed threads from this side.
  indexes: [{ name: 'thread_follows_user_id_index', properties: ['user', 'root'] }],
});

export type ThreadFollow = InferEntity<typeof ThreadFollow>;
