import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventRecord } from '../records';
import { lockedTransaction } from './locked';
import { queueErasure } from './user-avatar';
import { announceUser } from './user-profile';

// Account deletion (docs/decisions/144-account-deletion.md): the row stays, anonymised, so the id in old
// events and audit entries still resolves and the name (through its skeleton, which is kept) cannot be
// taken by someone else to pass as the deleted user.

export type AccountDeletion = { status: 'deleted'; username: string; events: EventRecord[] } | { status: 'not-found' } | { status: 'last-owner' };

/** The name a deleted account shows: a space no sign-up name may hold, so it never clashes with a real one. */
export const deletedUsername = (userId: string) => `deleted user ${userId.replace(/-/g, '').slice(0, 12)}`;

/**
 * Marks the account deleted and anonymises it, unless it is the last owner: the owners' rows are locked first
 * (in id order, as changeRoleAsOwner does), so two owners deleting themselves at once cannot leave none. The
 * password can never match again, the avatar's bytes are queued for erasure, and every room showing the user
 * hears user.updated with the new name, all in one transaction.
 */
export function markAccountDeleted(em: EntityManager, userId: string): Promise<AccountDeletion> {
  return lockedTransaction(em, async (exec) => {
    const owners = await exec<{ id: string }[]>(`select id from users where role = 'owner' and deleted_at is null order by id for update`);
    const rows = await exec<{ role: string; avatar_key: string | null }[]>('select role, avatar_key from users where id = ? and deleted_at is null for update', [userId]);
    const row = rows[0];
    if (!row) return { status: 'not-found' };
    if (row.role === 'owner' && owners.length <= 1) return { status: 'last-owner' };
    const username = deletedUsername(userId);
    // username_skeleton is kept: the old name's look-alikes stay taken (signup checks the skeleton).
    await exec(
      `update users set username = ?, password_hash = '!deleted', avatar_key = null, role = 'member', muted_until = null,
         display_name = null, status_text = null, status_emoji = null, status_expires_at = null, time_zone = null, deleted_at = clock_timestamp() where id = ?`,
      [username, userId],
    );
    if (row.avatar_key !== null) await queueErasure(exec, row.avatar_key);
    return { status: 'deleted', username, events: await announceUser(exec, { id: userId, username, avatar: null, displayName: null, status: null, timeZone: null }) };
  });
}
