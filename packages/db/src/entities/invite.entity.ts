import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { InviteRepository } from '../repositories/invite.repository';
import { User } from './user.entity';

/** A sign-up code for registration mode `invite`: a number of uses and an end (docs/decisions/111-registration-modes.md). */
export const Invite = defineEntity({
  name: 'Invite',
  tableName: 'invites',
  repository: () => InviteRepository,
  properties: (p) => ({
    code: p.string().length(32).primary(),
    createdBy: () => p.manyToOne(User),
    /** How many sign-ups it allows; `used` never passes it (one atomic update per sign-up). */
    uses: p.integer(),
    used: p.integer().default(0),
    expiresAt: p.datetime(),
    revokedAt: p.datetime().nullable(),
    createdAt: p.datetime(),
  }),
});

export type Invite = InferEntity<typeof Invite>;

/** Who signed up with which invite. */
export const InviteUse = defineEntity({
  name: 'InviteUse',
  tableName: 'invite_uses',
  properties: (p) => ({
    id: p.bigint('string').primary().autoincrement(),
    invite: () => p.manyToOne(Invite).deleteRule('cascade').index('invite_uses_invite_code_index'),
    user: () => p.manyToOne(User).deleteRule('cascade'),
    usedAt: p.datetime(),
  }),
});

export type InviteUse = InferEntity<typeof InviteUse>;
