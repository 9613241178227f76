import { EntityRepository } from '@mikro-orm/postgresql';
import type { Invite } from '../entities/invite.entity';
import type { InviteRecord, UserRecord } from '../records';
import { insertUserStatement, userFromRow } from './user.repository';

interface InviteRow {
  code: string;
  created_by_id: string;
  created_by_name: string;
  uses: number;
  used: number;
  expires_ms: number;
  revoked_ms: number | null;
  created_ms: number;
  used_by: { id: string; username: string; at_ms: number }[];
}

const ms = (column: string, as: string) => `extract(epoch from ${column})::float8 * 1000 as ${as}`;
const SELECT_INVITES = `select i.code, i.created_by_id, c.username as created_by_name, i.uses, i.used,
    ${ms('i.expires_at', 'expires_ms')}, ${ms('i.revoked_at', 'revoked_ms')}, ${ms('i.created_at', 'created_ms')},
    coalesce((select json_agg(json_build_object('id', u.id, 'username', u.username, 'at_ms', extract(epoch from iu.used_at)::float8 * 1000) order by iu.id)
       from invite_uses iu join users u on u.id = iu.user_id where iu.invite_code = i.code), '[]'::json) as used_by
  from invites i join users c on c.id = i.created_by_id`;

const toRecord = (r: InviteRow): InviteRecord => ({
  code: r.code,
  createdBy: { id: r.created_by_id, username: r.created_by_name },
  uses: r.uses,
  used: r.used,
  expiresAt: new Date(Math.floor(r.expires_ms)),
  revokedAt: r.revoked_ms === null ? null : new Date(Math.floor(r.revoked_ms)),
  createdAt: new Date(Math.floor(r.created_ms)),
  usedBy: r.used_by.map((u) => ({ id: u.id, username: u.username, at: new Date(Math.floor(u.at_ms)) })),
});

/** Why an invited sign-up did not happen. */
export type InvitedSignupRefusal = 'invite' | 'username';

/** Thrown inside the transaction to roll it back. */
class Refused {
  constructor(readonly why: InvitedSignupRefusal) {}
}

export class InviteRepository extends EntityRepository<Invite> {
  async createInvite(input: { code: string; createdBy: string; uses: number; expiresAt: Date }): Promise<InviteRecord> {
    await this.getEntityManager().execute(`insert into invites (code, created_by_id, uses, used, expires_at, created_at) values (?, ?, ?, 0, ?, now())`, [
      input.code,
      input.createdBy,
      input.uses,
      input.expiresAt,
    ]);
    return (await this.byCode(input.code))!;
  }

  async byCode(code: string): Promise<InviteRecord | null> {
    const rows = await this.getEntityManager().execute<InviteRow[]>(`${SELECT_INVITES} where i.code = ?`, [code]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Newest first. */
  async list(limit: number): Promise<InviteRecord[]> {
    const rows = await this.getEntityManager().execute<InviteRow[]>(`${SELECT_INVITES} order by i.created_at desc, i.code limit ?`, [limit]);
    return rows.map(toRecord);
  }

  /** Null when there is no such invite; revoking twice keeps the first time. */
  async revoke(code: string): Promise<InviteRecord | null> {
    await this.getEntityManager().execute(`update invites set revoked_at = coalesce(revoked_at, now()) where code = ?`, [code]);
    return this.byCode(code);
  }

  /**
   * Takes one use of the invite and creates the account, in one transaction: the use count's
   * update is atomic (`used < uses` re-checked under the row lock), so concurrent sign-ups never
   * pass it, and a sign-up refused for its name gives the use back by rolling back.
   */
  async signUp(code: string, input: { username: string; passwordHash: string }): Promise<{ user: UserRecord } | { refused: InvitedSignupRefusal }> {
    const knex = this.getEntityManager().getKnex();
    try {
      // A knex transaction, not em.transactional (see RoomRepository.locked).
      return await knex.transaction(async (trx) => {
        const exec = async <R>(sql: string, params: unknown[]) => (await trx.raw(sql, params as never[])).rows as R;
        const taken = await exec<unknown[]>(
          `update invites set used = used + 1 where code = ? and revoked_at is null and expires_at > now() and used < uses returning code`,
          [code],
        );
        if (taken.length === 0) throw new Refused('invite');
        const { sql, params } = insertUserStatement(input);
        const [row] = await exec<Parameters<typeof userFromRow>[0][]>(sql, params);
        if (!row) throw new Refused('username');
        await exec(`insert into invite_uses (invite_code, user_id, used_at) values (?, ?, now())`, [code, row.id]);
        return { user: userFromRow(row) };
      });
    } catch (error) {
      if (error instanceof Refused) return { refused: error.why };
      throw error;
    }
  }
}
