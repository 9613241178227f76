import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventRecord, UserProfileRecord } from '../records';
import { type Exec, lockedTransaction } from './locked';
import { announceUser, lockedProfile } from './user-profile';

// Avatars (docs/decisions/143-avatars.md). An avatar upload is an attachment with no room; taking it as the
// avatar moves its bytes from the attachment row to `users.avatar_key` in one transaction, and queues the
// previous avatar's bytes for erasure in the same one. Every room that shows the user (their rooms, and
// rooms holding their messages) gets a user.updated event, so every open client redraws them.

export type AvatarChange = { status: 'changed'; user: UserProfileRecord; events: EventRecord[] } | { status: 'not-found' };

/** Queues a storage key's bytes for the eraser (the same queue attachments' deletes fill). */
export const queueErasure = (exec: Exec, key: string) =>
  exec(`insert into file_erasures (id, created_at) values (?, clock_timestamp()) on conflict do nothing`, [key]);

/**
 * Sets the avatar to `uploadId`, the user's own checked avatar upload (null: removes it). Not found when the
 * upload is not theirs, not an avatar upload, not ready, or the account is gone; removing none is a change
 * to nothing, also not found, so no event is sent for it.
 */
export function changeAvatar(em: EntityManager, input: { userId: string; uploadId: string | null }): Promise<AvatarChange> {
  return lockedTransaction(em, async (exec) => {
    // The whole profile: the event carries the user as they are now, display name and status included.
    const current = await lockedProfile(exec, input.userId);
    if (!current) return { status: 'not-found' };
    if (input.uploadId !== null) {
      const taken = await exec<unknown[]>(
        `delete from attachments where id = ? and uploader_id = ? and room_id is null and message_id is null and status = 'ready' and kind = 'image' returning id`,
        [input.uploadId, input.userId],
      );
      if (taken.length === 0) return { status: 'not-found' };
      // The delete's trigger queued these bytes; they are the avatar's now.
      await exec('delete from file_erasures where id = ?', [input.uploadId]);
    } else if (!current.avatar) {
      return { status: 'not-found' };
    }
    await exec('update users set avatar_key = ? where id = ?', [input.uploadId, input.userId]);
    if (current.avatar) await queueErasure(exec, current.avatar);
    const user = { ...current, avatar: input.uploadId };
    return { status: 'changed', user, events: await announceUser(exec, user) };
  });
}

/** The avatar's key if `userId` has this one now (an avatar URL names a version; an old one is gone). */
export async function currentAvatar(exec: Exec, userId: string, key: string): Promise<boolean> {
  const rows = await exec<unknown[]>('select 1 from users where id = ? and avatar_key = ? and deleted_at is null', [userId, key]);
  return rows.length > 0;
}
