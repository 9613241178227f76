import { randomUUID } from 'node:crypto';
import { EntityRepository } from '@mikro-orm/postgresql';
import type { Session } from '../entities/session.entity';
import type { SessionListRecord, SessionRecord } from '../records';

interface SessionRow {
  id: string;
  user_id: string;
  token_id: string;
  previous_token_id: string | null;
  rotated_ms: number | null;
  created_ms: number;
  expires_ms: number;
  revoked_ms: number | null;
}

// Raw timestamptz columns come back as text; epoch milliseconds parse unambiguously.
const ms = (column: string, as: string) => `extract(epoch from ${column})::float8 * 1000 as ${as}`;
const COLUMNS = `id, user_id, token_id, previous_token_id, ${ms('rotated_at', 'rotated_ms')}, ${ms('created_at', 'created_ms')}, ${ms('expires_at', 'expires_ms')}, ${ms('revoked_at', 'revoked_ms')}`;
const date = (value: number | null) => (value === null ? null : new Date(Math.floor(value)));

const toRecord = (r: SessionRow): SessionRecord => ({
  id: r.id,
  userId: r.user_id,
  tokenId: r.token_id,
  previousTokenId: r.previous_token_id,
  rotatedAt: date(r.rotated_ms),
  createdAt: new Date(Math.floor(r.created_ms)),
  expiresAt: new Date(Math.floor(r.expires_ms)),
  revokedAt: date(r.revoked_ms),
});

/** Plain SQL throughout, like UserRepository: no flush, so no AsyncLocalStorage on the hot path. */
export class SessionRepository extends EntityRepository<Session> {
  private rows(sql: string, params: unknown[]) {
    return this.getEntityManager().execute<SessionRow[]>(sql, params);
  }

  /**
   * A new session for a password login; its first token id comes with it. Null when the user is
   * banned: the user row is read FOR SHARE, so a ban committing meanwhile (UserRepository.ban
   * locks the row) either waits for this session, and then revokes it, or is seen and refuses it.
   */
  async start(input: { userId: string; expiresAt: Date; device?: string | null }): Promise<SessionRecord | null> {
    const rows = await this.rows(
      `insert into sessions (id, user_id, token_id, created_at, expires_at, updated_at, device)
         select ?, u.id, ?, ?, ?, now(), ? from (select id from users where id = ? and banned_at is null for share) u
         returning ${COLUMNS}`,
      [randomUUID(), randomUUID(), new Date(), input.expiresAt, input.device ?? null, input.userId],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async findById(id: string): Promise<SessionRecord | null> {
    const rows = await this.rows(`select ${COLUMNS} from sessions where id = ?`, [id]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /**
   * Replaces the session's token id, if `presentedTokenId` is still its newest and the session is
   * live. Atomic: of two refreshes racing with the same token, one rotates and the other gets null.
   */
  async rotate(id: string, presentedTokenId: string): Promise<SessionRecord | null> {
    const rows = await this.rows(
      `update sessions set previous_token_id = token_id, token_id = ?, rotated_at = ?, updated_at = now()
        where id = ? and token_id = ? and revoked_at is null and expires_at > ?
        returning ${COLUMNS}`,
      [randomUUID(), new Date(), id, presentedTokenId, new Date()],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Its push subscriptions go with it (docs/decisions/148-web-push.md): a logged-out browser gets no notifications. */
  async revoke(id: string): Promise<void> {
    await this.getEntityManager().execute(
      `with ended as (update sessions set revoked_at = now(), updated_at = now() where id = ? and revoked_at is null returning id)
       delete from push_subscriptions where session_id in (select id from ended)`,
      [id],
    );
  }

  /** Revokes every live session of the user but `exceptId` (null: all of them), with their push subscriptions; returns their ids. */
  async revokeAllOfUser(userId: string, exceptId: string | null): Promise<string[]> {
    const rows = await this.getEntityManager().execute<{ id: string }[]>(
      `with ended as (update sessions set revoked_at = now(), updated_at = now()
        where user_id = ? and revoked_at is null and id <> coalesce(?::uuid, '00000000-0000-0000-0000-000000000000'::uuid)
        returning id),
       gone as (delete from push_subscriptions where session_id in (select id from ended))
       select id from ended`,
      [userId, exceptId],
    );
    return rows.map((r) => r.id);
  }

  /** The user's live sessions for the settings screen, most recently used first (last use: the last refresh, or the login). */
  async liveOfUser(userId: string): Promise<SessionListRecord[]> {
    const rows = await this.getEntityManager().execute<{ id: string; device: string | null; created_ms: number; used_ms: number }[]>(
      `select id, device, ${ms('created_at', 'created_ms')}, ${ms('coalesce(rotated_at, created_at)', 'used_ms')} from sessions
        where user_id = ? and revoked_at is null and expires_at > now()
        order by coalesce(rotated_at, created_at) desc, id limit 100`,
      [userId],
    );
    return rows.map((r) => ({ id: r.id, device: r.device, createdAt: new Date(Math.floor(r.created_ms)), lastUsedAt: new Date(Math.floor(r.used_ms)) }));
  }

  /** Revokes one live session of the user (with its push subscriptions); false when there is no such session. */
  async revokeOfUser(userId: string, id: string): Promise<boolean> {
    const rows = await this.getEntityManager().execute<{ id: string }[]>(
      `with ended as (update sessions set revoked_at = now(), updated_at = now()
        where id = ? and user_id = ? and revoked_at is null and expires_at > now() returning id),
       gone as (delete from push_subscriptions where session_id in (select id from ended))
       select id from ended`,
      [id, userId],
    );
    return rows.length > 0;
  }

  /**
   * Sessions changed (rotated or revoked) after `since`, by the database's clock, which it also
   * returns as the next `since`. Callers overlap their windows, since a change's updated_at is
   * taken before it commits. Not limited: a page cut short would need a cursor, and even an hour's catch-up after
   * an outage is one row per refresh or logout in that hour.
   */
  async changedSince(since: Date | null): Promise<{ sessions: SessionRecord[]; now: Date }> {
    // One round trip a look (every instance looks twice a second, idle or not): the clock, with the changed rows
    // beside it, none on the first look.
    const rows = await this.getEntityManager().execute<(Omit<SessionRow, 'id'> & { id: string | null; now_ms: number })[]>(
      `select ${ms('clock.t', 'now_ms')}, changed.* from (select now() as t) clock
         left join lateral (select ${COLUMNS} from sessions where ?::timestamptz is not null and updated_at > ?::timestamptz) changed on true`,
      [since, since],
    );
    const now = new Date(Math.floor(rows[0]!.now_ms));
    return { sessions: rows.flatMap((row) => (row.id === null ? [] : [toRecord({ ...row, id: row.id })])), now };
  }

  /** Housekeeping: rows past their absolute end by a day are no use to anyone. */
  async deleteExpired(): Promise<number> {
    const rows = await this.getEntityManager().execute<{ id: string }[]>(`delete from sessions where expires_at < now() - interval '1 day' returning id`);
    return rows.length;
  }
}
