import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { SessionRepository } from '../repositories/session.repository';
import { User } from './user.entity';

/**
 * One login: every token refreshed from it carries its id (`sid`). The row is the source of truth
 * for whether a token still works; see docs/decisions/030-sessions.md.
 */
export const Session = defineEntity({
  name: 'Session',
  tableName: 'sessions',
  repository: () => SessionRepository,
  properties: (p) => ({
    id: p.uuid().primary(),
    // Deleting a user ends their sessions with them.
    user: () => p.manyToOne(User).deleteRule('cascade').index('sessions_user_id_index'),
    /** The `jti` of the newest token; a refresh replaces it. */
    tokenId: p.uuid(),
    /** The `jti` the last refresh replaced: still accepted for a short grace after `rotatedAt`. */
    previousTokenId: p.uuid().nullable(),
    rotatedAt: p.datetime().nullable(),
    createdAt: p.datetime(),
    /** Absolute end, fixed at login: refreshing never extends it. */
    expiresAt: p.datetime(),
    revokedAt: p.datetime().nullable(),
    /** "Firefox on Windows": fixed words from the login's User-Agent, never the header (docs/decisions/156). */
    device: p.string().length(64).nullable(),
    /** Set by the database on every change: each instance polls for rows changed since its last look. */
    updatedAt: p.datetime().index('sessions_updated_at_index'),
  }),
});

export type Session = InferEntity<typeof Session>;
