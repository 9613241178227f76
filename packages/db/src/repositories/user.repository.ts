import { randomUUID } from 'node:crypto';
import { EntityRepository } from '@mikro-orm/postgresql';
import type { User } from '../entities/user.entity';
import type { RoleRecord, UserCredentials, UserRecord, UserStandingRecord } from '../records';
import { usernameSkeleton } from '../username-skeleton';
import { type AuditDraft, auditedTransaction, insertAudit } from './audit.repository';
import { type Exec, execOn } from './locked';
import { type AvatarChange, changeAvatar, currentAvatar } from './user-avatar';
import { type AccountDeletion, markAccountDeleted } from './user-deletion';
import { changeProfile, PROFILE_COLUMNS, type ProfileChange, type ProfileRow, type ProfileUpdate, profileOf, readProfile } from './user-profile';

// The driver hands raw timestamptz columns back as text; epoch milliseconds parse unambiguously.
const CREATED_MS = 'extract(epoch from created_at)::float8 * 1000 as created_ms';
const fromRow = (r: { id: string; username: string; created_ms: number }): UserRecord => ({
  id: r.id,
  username: r.username,
  createdAt: new Date(Math.floor(r.created_ms)),
});

type UserRow = { id: string; username: string; created_ms: number };

/** The sign-up insert, shared with the invite repository, which runs it inside its transaction. */
export const insertUserStatement = (input: { username: string; passwordHash: string }) => ({
  sql: `insert into users (id, username, password_hash, created_at, username_skeleton) values (?, ?, ?, ?, ?)
         on conflict do nothing
         returning id, username, ${CREATED_MS}`,
  params: [randomUUID(), input.username, input.passwordHash, new Date(), usernameSkeleton(input.username)] as unknown[],
});
export const userFromRow = (r: UserRow): UserRecord => fromRow(r);

interface StandingRow extends UserRow {
  role: RoleRecord;
  banned_ms: number | null;
  ban_reason: string | null;
  muted_ms: number | null;
}
const STANDING = `id, username, ${CREATED_MS}, role, extract(epoch from banned_at)::float8 * 1000 as banned_ms, ban_reason,
  extract(epoch from muted_until)::float8 * 1000 as muted_ms`;
const msDate = (value: number | null) => (value === null ? null : new Date(Math.floor(value)));
const fromStandingRow = (r: StandingRow): UserStandingRecord => ({
  ...fromRow(r),
  role: r.role,
  bannedAt: msDate(r.banned_ms),
  banReason: r.ban_reason,
  mutedUntil: msDate(r.muted_ms),
});

/** What `changeRoleAsOwner` did, or why it did nothing. */
export type RoleChange =
  | { status: 'changed'; from: RoleRecord; user: UserStandingRecord }
  | { status: 'actor-not-owner' }
  | { status: 'not-found' }
  | { status: 'last-owner' };

/** LIKE treats %, _ and \ specially; a search for "a_b" must find the literal name. */
export const escapeLikePattern = (text: string) => text.replace(/[\\%_]/g, '\\$&');

export class UserRepository extends EntityRepository<User> {
  /**
   * Inserts the user, or returns null when the name is taken in any letter case or another name has
   * the same skeleton (both unique indexes decide races). Plain SQL, not
   * persistAndFlush: MikroORM runs a flush inside an AsyncLocalStorage, and on Node 20 the first
   * one switches on promise hooks for the rest of the process: from then on every promise pays
   * a hook call and carries an extra property (about 1.5 KiB per idle subscribed socket).
   */
  async insertIfUsernameFree(input: { username: string; passwordHash: string }): Promise<UserRecord | null> {
    const { sql, params } = insertUserStatement(input);
    const rows = await this.getEntityManager().execute<UserRow[]>(sql, params);
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /** True when a user's name looks like this one ("aIice" for "alice"): same skeleton. */
  async hasLookAlike(username: string): Promise<boolean> {
    const rows = await this.getEntityManager().execute<unknown[]>(`select 1 from users where username_skeleton = ? limit 1`, [usernameSkeleton(username)]);
    return rows.length > 0;
  }

  async findCredentials(username: string): Promise<UserCredentials | null> {
    const rows = await this.getEntityManager().execute<{ id: string; username: string; created_ms: number; password_hash: string }[]>(
      `select id, username, ${CREATED_MS}, password_hash from users where lower(username) = lower(?) and deleted_at is null`,
      [username],
    );
    const row = rows[0];
    if (!row) return null;
    return { user: fromRow(row), passwordHash: row.password_hash };
  }

  async findRecordById(id: string): Promise<UserRecord | null> {
    // Raw, like every other read here (decision 001): this was the one entity `findOne` left, and on
    // each auth.me it cost more server CPU than all of room.list (`pnpm --filter @chat/bench calls`).
    const rows = await this.getEntityManager().execute<(UserRow & ProfileRow & { avatar_key: string | null })[]>(
      `select u.id, u.username, ${CREATED_MS}, u.avatar_key, ${PROFILE_COLUMNS} from users u where u.id = ? and u.deleted_at is null`,
      [id],
    );
    const r = rows[0];
    return r ? { ...fromRow(r), ...(r.avatar_key ? { avatar: r.avatar_key } : {}), ...profileOf(r) } : null;
  }

  /** Case-insensitive substring match; names that start with the query come first. */
  async search(query: string, limit: number): Promise<UserRecord[]> {
    const escaped = escapeLikePattern(query);
    const rows = await this.getEntityManager().execute<(UserRow & ProfileRow & { avatar_key: string | null })[]>(
      `select u.id, u.username, ${CREATED_MS}, u.avatar_key, ${PROFILE_COLUMNS} from users u
        where u.username ilike ? escape '\\' and u.deleted_at is null
        order by (u.username ilike ? escape '\\') desc, lower(u.username), u.id
        limit ?`,
      [`%${escaped}%`, `${escaped}%`, limit],
    );
    return rows.map((r) => ({ ...fromRow(r), avatar: r.avatar_key, ...profileOf(r) }));
  }

  /** For a password change: the hash of the signed-in user, found by id. */
  async findCredentialsById(id: string): Promise<UserCredentials | null> {
    const rows = await this.getEntityManager().execute<{ id: string; username: string; created_ms: number; password_hash: string }[]>(
      `select id, username, ${CREATED_MS}, password_hash from users where id = ? and deleted_at is null`,
      [id],
    );
    const row = rows[0];
    return row ? { user: fromRow(row), passwordHash: row.password_hash } : null;
  }

  async updatePasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.getEntityManager().execute(`update users set password_hash = ? where id = ?`, [passwordHash, id]);
  }

  /** Sets (uploadId) or removes (null) the user's avatar, with its user.updated events (docs/decisions/143-avatars.md). */
  changeAvatar(input: { userId: string; uploadId: string | null }): Promise<AvatarChange> {
    return changeAvatar(this.getEntityManager(), input);
  }

  /** Changes the display name, status or time zone, with its user.updated events (docs/decisions/155-profiles.md). */
  changeProfile(update: ProfileUpdate): Promise<ProfileChange> {
    return changeProfile(this.getEntityManager(), update);
  }

  /** The user with the whole profile (a status past its expiry left out), or null for none or a deleted account. */
  profile(id: string): Promise<UserRecord | null> {
    return readProfile(execOn(this.getEntityManager()), id);
  }

  /** Marks the account deleted and anonymised, refused for the last owner (docs/decisions/144-account-deletion.md). */
  markDeleted(userId: string): Promise<AccountDeletion> {
    return markAccountDeleted(this.getEntityManager(), userId);
  }

  /** Whether `key` is `userId`'s avatar now. */
  hasAvatar(userId: string, key: string): Promise<boolean> {
    return currentAvatar(execOn(this.getEntityManager()), userId, key);
  }

  // Moderation (docs/decisions/110-roles-and-first-owner.md, 113-bans-and-mutes.md).

  private async standingWhere(where: string, params: unknown[]): Promise<UserStandingRecord | null> {
    const rows = await this.getEntityManager().execute<StandingRow[]>(`select ${STANDING} from users where ${where}`, params);
    return rows[0] ? fromStandingRow(rows[0]) : null;
  }

  standingById(id: string): Promise<UserStandingRecord | null> {
    return this.standingWhere('id = ?', [id]);
  }

  standingByName(username: string): Promise<UserStandingRecord | null> {
    return this.standingWhere('lower(username) = lower(?)', [username]);
  }

  /** Admins' user list: a name filter (empty: everyone), by name, paged after `after` (a lower-cased name). */
  async searchStanding(query: string, after: string | null, limit: number): Promise<UserStandingRecord[]> {
    const rows = await this.getEntityManager().execute<StandingRow[]>(
      `select ${STANDING} from users
        where username ilike ? escape '\\' ${after === null ? '' : 'and lower(username) > ?'}
        order by lower(username) limit ?`,
      after === null ? [`%${escapeLikePattern(query)}%`, limit] : [`%${escapeLikePattern(query)}%`, after, limit],
    );
    return rows.map(fromStandingRow);
  }

  /** The command line's change; `audit` is written in the same transaction. */
  async setRole(id: string, role: RoleRecord, audit: (user: UserStandingRecord) => AuditDraft): Promise<UserStandingRecord | null> {
    return this.updateStanding(`update users set role = ? where id = ? returning ${STANDING}`, [role, id], audit);
  }

  /** One update of a user's standing and its audit entry, committed together. */
  private updateStanding(sql: string, params: unknown[], audit: (user: UserStandingRecord) => AuditDraft): Promise<UserStandingRecord | null> {
    return auditedTransaction(this.getEntityManager(), async (exec) => {
      const rows = await exec<StandingRow[]>(sql, params);
      return rows[0] ? fromStandingRow(rows[0]) : null;
    }, audit);
  }

  /**
   * An owner's role change that keeps at least one owner, race-free: the owners' rows are locked (in id
   * order, so two changes never deadlock) and the actor, the target and the count are judged under that
   * lock, so two owners demoting each other at once are serialized and the second sees the first's
   * change. A plain knex transaction, not `em.transactional` (see locked.ts).
   */
  async changeRoleAsOwner(input: { actorId: string; userId: string; role: RoleRecord; audit: (change: { from: RoleRecord; user: UserStandingRecord }) => AuditDraft }): Promise<RoleChange> {
    return this.getEntityManager()
      .getKnex()
      .transaction(async (trx) => {
        const exec: Exec = async <R>(sql: string, params: unknown[] = []) => (await trx.raw(sql, params as never[])).rows as R;
        const owners = (await exec<{ id: string }[]>(`select id from users where role = 'owner' order by id for update`, [])).map((r) => r.id);
        if (!owners.includes(input.actorId)) return { status: 'actor-not-owner' };
        const before = (await exec<{ role: RoleRecord }[]>(`select role from users where id = ? for update`, [input.userId]))[0];
        if (!before) return { status: 'not-found' };
        if (before.role === 'owner' && input.role !== 'owner' && owners.length <= 1) return { status: 'last-owner' };
        const rows = await exec<StandingRow[]>(`update users set role = ? where id = ? returning ${STANDING}`, [input.role, input.userId]);
        const user = fromStandingRow(rows[0]!);
        await insertAudit(exec, input.audit({ from: before.role, user }));
        return { status: 'changed', from: before.role, user };
      });
  }

  /**
   * Marks the account banned (the first ban's time is kept). Takes the row lock that a login's
   * session insert waits on (SessionRepository.start), so no session can start after this commits.
   */
  async ban(id: string, reason: string): Promise<UserStandingRecord | null> {
    const rows = await this.getEntityManager().execute<StandingRow[]>(
      `update users set banned_at = coalesce(banned_at, now()), ban_reason = ? where id = ? returning ${STANDING}`,
      [reason, id],
    );
    return rows[0] ? fromStandingRow(rows[0]) : null;
  }

  async unban(id: string, audit: (user: UserStandingRecord) => AuditDraft): Promise<UserStandingRecord | null> {
    return this.updateStanding(`update users set banned_at = null, ban_reason = null where id = ? returning ${STANDING}`, [id], audit);
  }

  /** `until` null lifts the mute. */
  async mute(id: string, until: Date | null, audit: (user: UserStandingRecord) => AuditDraft): Promise<UserStandingRecord | null> {
    return this.updateStanding(`update users set muted_until = ? where id = ? returning ${STANDING}`, [until, id], audit);
  }
}
