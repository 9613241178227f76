import { randomUUID } from 'node:crypto';
import { EntityRepository } from '@mikro-orm/postgresql';
import type { User } from '../entities/user.entity';
import type { UserCredentials, UserRecord } from '../records';
import { usernameSkeleton } from '../username-skeleton';

const toRecord = (u: { id: string; username: string; createdAt: Date }): UserRecord => ({
  id: u.id,
  username: u.username,
  createdAt: u.createdAt,
});

// The driver hands raw timestamptz columns back as text; epoch milliseconds parse unambiguously.
const CREATED_MS = 'extract(epoch from created_at)::float8 * 1000 as created_ms';
const fromRow = (r: { id: string; username: string; created_ms: number }): UserRecord => ({
  id: r.id,
  username: r.username,
  createdAt: new Date(Math.floor(r.created_ms)),
});

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
    const rows = await this.getEntityManager().execute<{ id: string; username: string; created_ms: number }[]>(
      `insert into users (id, username, password_hash, created_at, username_skeleton) values (?, ?, ?, ?, ?)
         on conflict do nothing
         returning id, username, ${CREATED_MS}`,
      [randomUUID(), input.username, input.passwordHash, new Date(), usernameSkeleton(input.username)],
    );
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /** True when a user's name looks like this one ("aIice" for "alice"): same skeleton. */
  async hasLookAlike(username: string): Promise<boolean> {
    const rows = await this.getEntityManager().execute<unknown[]>(`select 1 from users where username_skeleton = ? limit 1`, [usernameSkeleton(username)]);
    return rows.length > 0;
  }

  async findCredentials(username: string): Promise<UserCredentials | null> {
    const rows = await this.getEntityManager().execute<{ id: string; username: string; created_ms: number; password_hash: string }[]>(
      `select id, username, ${CREATED_MS}, password_hash from users where lower(username) = lower(?)`,
      [username],
    );
    const row = rows[0];
    if (!row) return null;
    return { user: fromRow(row), passwordHash: row.password_hash };
  }

  async findRecordById(id: string): Promise<UserRecord | null> {
    const user = await this.findOne({ id }, { fields: ['id', 'username', 'createdAt'] });
    return user ? toRecord(user) : null;
  }

  /** Case-insensitive substring match; names that start with the query come first. */
  async search(query: string, limit: number): Promise<UserRecord[]> {
    const escaped = escapeLikePattern(query);
    const rows = await this.getEntityManager().execute<{ id: string; username: string; created_ms: number }[]>(
      `select id, username, ${CREATED_MS} from users
        where username ilike ? escape '\\'
        order by (username ilike ? escape '\\') desc, lower(username), id
        limit ?`,
      [`%${escaped}%`, `${escaped}%`, limit],
    );
    return rows.map(fromRow);
  }

  /** For a password change: the hash of the signed-in user, found by id. */
  async findCredentialsById(id: string): Promise<UserCredentials | null> {
    const rows = await this.getEntityManager().execute<{ id: string; username: string; created_ms: number; password_hash: string }[]>(
      `select id, username, ${CREATED_MS}, password_hash from users where id = ?`,
      [id],
    );
    const row = rows[0];
    return row ? { user: fromRow(row), passwordHash: row.password_hash } : null;
  }

  async updatePasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.getEntityManager().execute(`update users set password_hash = ? where id = ?`, [passwordHash, id]);
  }
}
