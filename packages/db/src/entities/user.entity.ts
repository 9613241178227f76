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
    // usernameSkeleton() of the name; null only for an older account whose name looked like an
    // earlier one's when the column was added (docs/decisions/040-username-skeleton.md).
    usernameSkeleton: p.text().nullable(),
    /** 'owner' | 'admin' | 'member', server-wide (docs/decisions/110-roles-and-first-owner.md). */
    role: p.string().length(16).default('member'),
    /** Set while the account is banned: no login, no session; its messages stay. */
    bannedAt: p.datetime().nullable(),
    banReason: p.text().nullable(),
    /** chat.send is refused until then. */
    mutedUntil: p.datetime().nullable(),
    /** The current avatar's storage key (128 random bits; also its version in URLs); null: initials (docs/decisions/143-avatars.md). */
    avatarKey: p.string().length(32).nullable(),
    /** Set when the account was deleted: the row stays, anonymised, so its name is never taken again (docs/decisions/144). */
    deletedAt: p.datetime().nullable(),
    // The profile (docs/decisions/155-profiles.md); lengths in code points, as the API counts them.
    /** Shown instead of the username where set; never like another account's username. */
    displayName: p.string().length(64).nullable(),
    statusText: p.string().length(100).nullable(),
    statusEmoji: p.string().length(32).nullable(),
    /** The status stops showing then (filtered on read, never swept); null: until cleared. */
    statusExpiresAt: p.datetime().nullable(),
    /** An IANA zone, for the local time others see. */
    timeZone: p.string().length(64).nullable(),
  }),
  uniques: [
    // Case-insensitive uniqueness: "Alice" blocks "alice", while the name is kept as typed.
    { name: 'users_username_lower_unique', expression: 'create unique index "users_username_lower_unique" on "users" (lower("username"))' },
    // Look-alike names ("aIice" next to "alice") are one name; NULLs never clash.
    { name: 'users_username_skeleton_unique', properties: ['usernameSkeleton'] },
  ],
});

export type User = InferEntity<typeof User>;
