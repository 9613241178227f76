import { randomUUID } from 'node:crypto';
import { EntityRepository } from '@mikro-orm/postgresql';
import type { PushSubscription } from '../entities/push-subscription.entity';

export interface PushSubscriptionRecord {
  id: string;
  userId: string;
  endpoint: string;
  p256dh: string;
  auth: string;
}

/** Most devices one user keeps subscribed; a new one past it replaces the oldest. */
export const MAX_PUSH_SUBSCRIPTIONS_PER_USER = 10;

export class PushSubscriptionRepository extends EntityRepository<PushSubscription> {
  /**
   * Stores the browser's subscription for this session. The endpoint names the browser, so a second
   * login in the same browser takes the row over (its old session no longer gets pushes). Only a live
   * session subscribes: a revoked one's row would never be cleaned up by its revocation.
   */
  async save(input: { userId: string; sessionId: string; endpoint: string; p256dh: string; auth: string }): Promise<boolean> {
    const em = this.getEntityManager();
    const rows = await em.execute<{ id: string }[]>(
      `insert into push_subscriptions (id, user_id, session_id, endpoint, p256dh, auth, created_at)
         select ?, s.user_id, s.id, ?, ?, ?, now() from sessions s
          where s.id = ? and s.user_id = ? and s.revoked_at is null and s.expires_at > now()
       on conflict (endpoint) do update set user_id = excluded.user_id, session_id = excluded.session_id,
         p256dh = excluded.p256dh, auth = excluded.auth, created_at = excluded.created_at
       returning id`,
      [randomUUID(), input.endpoint, input.p256dh, input.auth, input.sessionId, input.userId],
    );
    if (rows.length === 0) return false;
    await em.execute(
      `delete from push_subscriptions where id in (
         select id from push_subscriptions where user_id = ? order by created_at desc, id offset ${MAX_PUSH_SUBSCRIPTIONS_PER_USER})`,
      [input.userId],
    );
    return true;
  }

  /** The caller's own subscription at `endpoint`; true if there was one. */
  async removeOwn(userId: string, endpoint: string): Promise<boolean> {
    const rows = await this.getEntityManager().execute<{ id: string }[]>('delete from push_subscriptions where user_id = ? and endpoint = ? returning id', [userId, endpoint]);
    return rows.length > 0;
  }

  /** The push service said the subscription is gone (404/410). */
  async remove(id: string): Promise<void> {
    await this.getEntityManager().execute('delete from push_subscriptions where id = ?', [id]);
  }

  /** The subscriptions of `userIds` whose sessions are live (a revoked session's rows are deleted with it; this is the belt). */
  async ofUsers(userIds: readonly string[]): Promise<PushSubscriptionRecord[]> {
    if (userIds.length === 0) return [];
    const rows = await this.getEntityManager().execute<{ id: string; user_id: string; endpoint: string; p256dh: string; auth: string }[]>(
      `select p.id, p.user_id, p.endpoint, p.p256dh, p.auth from push_subscriptions p
         join sessions s on s.id = p.session_id and s.revoked_at is null and s.expires_at > now()
        where p.user_id = any(string_to_array(?, ',')::uuid[]) order by p.user_id, p.created_at`,
      [userIds.join(',')],
    );
    return rows.map((r) => ({ id: r.id, userId: r.user_id, endpoint: r.endpoint, p256dh: r.p256dh, auth: r.auth }));
  }

  async countOfUser(userId: string): Promise<number> {
    const rows = await this.getEntityManager().execute<{ n: number }[]>('select count(*)::int as n from push_subscriptions where user_id = ?', [userId]);
    return rows[0]?.n ?? 0;
  }
}
