import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { UserRepository } from '../repositories/user.repository';

export const User = defineEntity({
  name: 'User',
  tableName: 'users',
  repository: () => UserRepository,
  properties: (p) => ({
    id: p.uuid().primary(),
    username: p.string().length(32),
    // Hidden from serialisation and lazy, so only the credential lookup ever loads it.
    passwordHash: p.text().hidden().lazy(),
    createdAt: p.datetime().onCreate(() => new Date()),
  }),
  uniques: [
    // Case-insensitive uniqueness: "Alice" blocks "alice", while the name is kept as typed.
    { name: 'users_username_lower_unique', expression: 'create unique index "users_username_lower_unique" on "users" (lower("username"))' },
  ],
});

export type User = InferEntity<typeof User>;
