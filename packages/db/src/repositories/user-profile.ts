import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventRecord, UserProfileRecord } from '../records';
import { appendEvent, type Exec, lockedTransaction } from './locked';

// Profiles (docs/decisions/155-profiles.md): the display name, status and time zone live on the user's
// row; a change tells every room showing the user with user.updated (as an avatar change does,
// docs/decisions/143-avatars.md), carrying the whole profile, so a client that folds it needs nothing else.

/** The profile columns of `users u`, read wherever a whole profile is shown. */
export const PROFILE_COLUMNS = `u.display_name, u.status_text, u.status_emoji,
  extract(epoch from u.status_expires_at)::float8 * 1000 as status_expires_ms, u.time_zone`;

export interface ProfileRow {
  display_name: string | null;
  status_text: string | null;
  status_emoji: string | null;
  status_expires_ms: number | null;
  time_zone: string | null;
}

/** The profile part of a row; a status past its expiry is no status (they are filtered on read, never swept). */
export function profileOf(row: ProfileRow, now = Date.now()): Pick<UserProfileRecord, 'displayName' | 'status' | 'timeZone'> {
  const expired = row.status_expires_ms !== null && row.status_expires_ms <= now;
  const hasStatus = !expired && (row.status_text !== null || row.status_emoji !== null);
  return {
    displayName: row.display_name,
    status: hasStatus ? { text: row.status_text ?? '', emoji: row.status_emoji, expiresAt: row.status_expires_ms === null ? null : new Date(Math.floor(row.status_expires_ms)) } : null,
    timeZone: row.time_zone,
  };
}

/** The user as user.updated carries them: only the fields they have, so a plain user is the JSON it always was. */
export function announcement(user: UserProfileRecord): Record<string, unknown> {
  const ref: Record<string, unknown> = { id: user.id, username: user.username };
  if (user.avatar) ref.avatar = user.avatar;
  if (user.displayName) ref.displayName = user.displayName;
  if (user.status) {
    const { text, emoji, expiresAt } = user.status;
    ref.status = { text, ...(emoji ? { emoji } : {}), ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}) };
  }
  if (user.timeZone) ref.timeZone = user.timeZone;
  return ref;
}

/** The user's row as a profile, locked for the change (inside the locked transaction). */
export async function lockedProfile(exec: Exec, userId: string): Promise<UserProfileRecord | null> {
  const rows = await exec<(ProfileRow & { id: string; username: string; avatar_key: string | null })[]>(
    `select u.id, u.username, u.avatar_key, ${PROFILE_COLUMNS} from users u where u.id = ? and u.deleted_at is null for update`,
    [userId],
  );
  const row = rows[0];
  return row ? { id: row.id, username: row.username, avatar: row.avatar_key, ...profileOf(row) } : null;
}

export interface ProfileUpdate {
  userId: string;
  /** Each absent: unchanged; null: cleared. */
  displayName?: string | null;
  /** usernameSkeleton of the display name without spaces: refused when another account's username has it. */
  displayNameSkeleton?: string | null;
  status?: { text: string; emoji: string | null; expiresAt: Date | null } | null;
  timeZone?: string | null;
}

export type ProfileChange =
  | { status: 'changed' | 'unchanged'; user: UserProfileRecord; events: EventRecord[] }
  | { status: 'not-found' }
  /** The display name looks like this other account's username. */
  | { status: 'look-alike'; username: string };

const sameStatus = (a: UserProfileRecord['status'], b: UserProfileRecord['status']) =>
  a === b || (a !== null && b !== null && a.text === b.text && a.emoji === b.emoji && a.expiresAt?.getTime() === b.expiresAt?.getTime());

/**
 * Applies the update under the user's row lock and announces the result. The look-alike check reads
 * the usernames' skeleton index in the same transaction; a sign-up racing it can still take such a
 * name, which is why the web shows @username beside every display name where it matters (decision 155).
 */
export function changeProfile(em: EntityManager, update: ProfileUpdate): Promise<ProfileChange> {
  return lockedTransaction(em, async (exec) => {
    const before = await lockedProfile(exec, update.userId);
    if (!before) return { status: 'not-found' };
    if (update.displayNameSkeleton) {
      const others = await exec<{ username: string }[]>(
        'select username from users where username_skeleton = ? and id <> ? and deleted_at is null limit 1',
        [update.displayNameSkeleton, update.userId],
      );
      if (others[0]) return { status: 'look-alike', username: others[0].username };
    }
    const after: UserProfileRecord = {
      ...before,
      ...(update.displayName !== undefined ? { displayName: update.displayName } : {}),
      ...(update.status !== undefined ? { status: update.status } : {}),
      ...(update.timeZone !== undefined ? { timeZone: update.timeZone } : {}),
    };
    if (after.displayName === before.displayName && sameStatus(after.status, before.status) && after.timeZone === before.timeZone) {
      return { status: 'unchanged', user: before, events: [] };
    }
    await exec(
      'update users set display_name = ?, status_text = ?, status_emoji = ?, status_expires_at = ?, time_zone = ? where id = ?',
      [after.displayName, after.status?.text ?? null, after.status?.emoji ?? null, after.status?.expiresAt ?? null, after.timeZone, update.userId],
    );
    return { status: 'changed', user: after, events: await announceUser(exec, after) };
  });
}

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
export async function announceUser(exec: Exec, user: UserProfileRecord): Promise<EventRecord[]> {
  const events: EventRecord[] = [];
  const ref = announcement(user);
  for (const roomId of await roomsShowing(exec, user.id)) {
    events.push(await appendEvent(exec, { type: 'user.updated', roomId, userId: user.id, payload: { user: ref } }));
  }
  return events;
}

/** A user's profile as others see it (user.profile), or null for none or a deleted account. */
export async function readProfile(exec: Exec, userId: string): Promise<(UserProfileRecord & { createdAt: Date }) | null> {
  const rows = await exec<(ProfileRow & { id: string; username: string; avatar_key: string | null; created_ms: number })[]>(
    `select u.id, u.username, u.avatar_key, extract(epoch from u.created_at)::float8 * 1000 as created_ms, ${PROFILE_COLUMNS}
       from users u where u.id = ? and u.deleted_at is null`,
    [userId],
  );
  const row = rows[0];
  return row ? { id: row.id, username: row.username, avatar: row.avatar_key, createdAt: new Date(Math.floor(row.created_ms)), ...profileOf(row) } : null;
}
