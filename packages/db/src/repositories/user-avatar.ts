import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventRecord, UserRefRecord } from '../records';
import { appendEvent, type Exec, lockedTransaction } from './locked';

// Avatars (docs/decisions/143-avatars.md). An avatar upload is an attachment with no room; taking it as the
// avatar moves its bytes from the attachment row to `users.avatar_key` in one transaction, and queues the
// previous avatar's bytes for erasure in the same one. Every room that shows the user (their rooms, and
// rooms holding their messages) gets a user.updated event, so every open client redraws them.

export type AvatarChange = { status: 'changed'; user: UserRefRecord; events: EventRecord[] } | { status: 'not-found' };

/** The rooms where the user is shown: where they are a member now, and where their messages are. */
async function roomsShowing(exec: Exec, userId: string): Promise<string[]> {
  const rows = await exec<{ room_id: string }[]>(
    `select room_id from room_members where user_id = ? and left_event_id is null
     union select distinct room_id from messages where author_id = ?
     order by room_id`,
    [userId, userId],
  );
  return rows.map((r) => r.room_id);
}

/** One user.updated per room that shows the user, carrying them as they are now (inside the locked transaction). */
export async function announceUser(exec: Exec, user: UserRefRecord): Promise<EventRecord[]> {
  const events: EventRecord[] = [];
  const ref = user.avatar ? { id: user.id, username: user.username, avatar: user.avatar } : { id: user.id, username: user.username };
  for (const roomId of await roomsShowing(exec, user.id)) {
    events.push(await appendEvent(exec, { type: 'user.updated', roomId, userId: user.id, payload: { user: ref } }));
  }
  return events;
}

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
    const users = await exec<{ username: string; avatar_key: string | null }[]>(
      'select username, avatar_key from users where id = ? and deleted_at is null for update',
      [input.userId],
    );
    const current = users[0];
    if (!current) return { status: 'not-found' };
    if (input.uploadId !== null) {
      const taken = await exec<unknown[]>(
        `delete from attachments where id = ? and uploader_id = ? and room_id is null and message_id is null and status = 'ready' and kind = 'image' returning id`,
        [input.uploadId, input.userId],
      );
      if (taken.length === 0) return { status: 'not-found' };
      // The delete's trigger queued these bytes; they are the avatar's now.
      await exec('delete from file_erasures where id = ?', [input.uploadId]);
    } else if (current.avatar_key === null) {
      return { status: 'not-found' };
    }
    await exec('update users set avatar_key = ? where id = ?', [input.uploadId, input.userId]);
    if (current.avatar_key !== null) await queueErasure(exec, current.avatar_key);
    const user = { id: input.userId, username: current.username, avatar: input.uploadId };
    return { status: 'changed', user, events: await announceUser(exec, user) };
  });
}

/** The avatar's key if `userId` has this one now (an avatar URL names a version; an old one is gone). */
export async function currentAvatar(exec: Exec, userId: string, key: string): Promise<boolean> {
  const rows = await exec<unknown[]>('select 1 from users where id = ? and avatar_key = ? and deleted_at is null', [userId, key]);
  return rows.length > 0;
}
