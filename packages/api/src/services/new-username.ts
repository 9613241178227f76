import { usernameSkeleton } from '@chat/db';
import { DomainError } from '../errors';

/**
 * Names that would pass for the system, a role or a mention keyword. Compared by skeleton, so
 * "adm1n", "Admin_" and "ADMlN" are taken too. Only sign-up checks them: an account that already
 * has such a name keeps logging in.
 */
export const RESERVED_USERNAMES = [
  'admin', 'administrator', 'administrators', 'root', 'superuser', 'sysadmin', 'system', 'sysop',
  'moderator', 'moderators', 'mod', 'mods', 'support', 'helpdesk', 'help', 'staff', 'team', 'security',
  'official', 'owner', 'operator', 'bot', 'bots', 'server', 'chat', 'everyone', 'everybody', 'here',
  'channel', 'all', 'online', 'anyone', 'someone', 'nobody', 'anonymous', 'guest', 'deleted', 'unknown',
  'null', 'undefined', 'nan', 'none', 'api', 'www', 'info', 'abuse', 'postmaster', 'hostmaster',
  'webmaster', 'noreply', 'login', 'logout', 'signup', 'register', 'settings', 'account',
] as const;

const RESERVED_SKELETONS = new Set(RESERVED_USERNAMES.map(usernameSkeleton));

/** Why sign-up must refuse this name whoever else exists, or null when it may be had. */
export function refusalOfNewUsername(username: string): DomainError | null {
  if (!/[\p{L}\p{N}]/u.test(username)) return new DomainError('BAD_REQUEST', 'Username must contain at least one letter or digit');
  if (RESERVED_SKELETONS.has(usernameSkeleton(username))) return new DomainError('CONFLICT', `The username "${username}" is reserved; pick another one`);
  return null;
}
