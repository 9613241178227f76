import { DomainError } from '../errors';
import type { Role } from '../schemas/admin.schema';

/**
 * Who stands above whom (docs/decisions/110-roles-and-first-owner.md, 124-mute-covers-every-publication.md):
 * a server role, or `moderator` for a room's creator acting in that room, between members and admins.
 */
export type Rank = Role | 'moderator';

const ORDER: Record<Rank, number> = { member: 0, moderator: 1, admin: 2, owner: 3 };

/** Owners act on anyone (owners included: they hand the server over); everyone else only on those below them. */
export const outranks = (actor: Rank, target: Rank): boolean => actor === 'owner' || ORDER[actor] > ORDER[target];

/**
 * The one check of every moderator action on a person (ban, mute, role change, room removal, a
 * moderator's or a report's delete). `action` completes "Only an owner can … an admin".
 */
export function requireOutranks(actor: Rank, target: Role, action: string): void {
  if (!outranks(actor, target)) throw new DomainError('FORBIDDEN', `Only an owner can ${action} an ${target}`);
}
