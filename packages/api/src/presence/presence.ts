import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import type { EventBus } from '../bus/event-bus';

export interface OnlineUser {
  id: string;
  username: string;
}

/**
 * Who is online: a user with at least one live authenticated socket on any instance (several
 * tabs count once). Joins and leaves are published on the bus as presence events.
 */
export interface Presence {
  connected(user: OnlineUser): void;
  disconnected(user: OnlineUser): void;
  online(): Promise<OnlineUser[]>;
  onlineAmong(userIds: string[]): Promise<Set<string>>;
  close(): Promise<void>;
}

/**
 * Sockets per user on this instance; reports the 0→1 and 1→0 transitions. The last socket's
 * close is reported only after a grace period, so a reconnect (a token renewal, a network blip,
 * a page reload) does not show everyone a leave and a join.
 */
function createLocalCounts(onFirst: (user: OnlineUser) => void, onLast: (user: OnlineUser) => void, graceMs: number) {
  const counts = new Map<string, { user: OnlineUser; sockets: number; leaving?: NodeJS.Timeout }>();
  return {
    counts,
    add(user: OnlineUser) {
      const entry = counts.get(user.id) ?? { user, sockets: 0 };
      entry.sockets++;
      counts.set(user.id, entry);
      if (entry.leaving) {
        clearTimeout(entry.leaving);
        entry.leaving = undefined;
      } else if (entry.sockets === 1) onFirst(user);
    },
    remove(user: OnlineUser) {
      const entry = counts.get(user.id);
      if (!entry || entry.sockets === 0) return;
      entry.sockets--;
      if (entry.sockets > 0) return;
      entry.leaving = setTimeout(() => {
        counts.delete(user.id);
        onLast(user);
      }, graceMs);
      entry.leaving.unref();
    },
    /** Drops everyone at once (shutdown), without the grace period. */
    clear() {
      const users = [...counts.values()].map((e) => {
        clearTimeout(e.leaving);
        return e.user;
      });
      counts.clear();
      return users;
    },
  };
}

/** How long after their last socket closes a user still counts as online. */
export const PRESENCE_GRACE_MS = 2_000;

export function createMemoryPresence(bus: EventBus, graceMs = PRESENCE_GRACE_MS): Presence {
  const local = createLocalCounts(
    (user) => bus.publish({ type: 'presence', user, online: true }),
    (user) => bus.publish({ type: 'presence', user, online: false }),
    graceMs,
  );
  return {
    connected: local.add,
    disconnected: local.remove,
    online: async () => [...local.counts.values()].map((e) => e.user),
    onlineAmong: async (ids) => new Set(ids.filter((id) => local.counts.has(id))),
    close: async () => void local.clear(),
  };
}

export interface RedisPresenceOptions {
  redis: Redis;
  bus: EventBus;
  prefix: string;
  /** How long an instance's entries outlive its last heartbeat. */
  ttlMs?: number;
  heartbeatMs?: number;
  graceMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * Presence across instances. Each user has a sorted set of the instances holding a socket for
 * them, scored by expiry; a global sorted set lists online users. Heartbeats push expiries
 * forward; a sweeper on every instance retires users whose entries all expired (an instance
 * that died), and whichever instance removes a user publishes the one "leave".
 */
export function createRedisPresence(opts: RedisPresenceOptions): Presence {
  const instance = randomUUID();
  const ttl = opts.ttlMs ?? 30_000;
  const { redis, bus, prefix } = opts;
  const userKey = (id: string) => `${prefix}presence:user:${id}`;
  const onlineKey = `${prefix}presence:online`;
  const namesKey = `${prefix}presence:names`;
  const report = (error: unknown) => opts.onError?.(error);

  const mark = async (user: OnlineUser) => {
    const expiry = Date.now() + ttl;
    await redis
      .multi()
      .zadd(userKey(user.id), expiry, instance)
      .pexpire(userKey(user.id), ttl * 2)
      .zadd(onlineKey, 'GT', expiry, user.id)
      .hset(namesKey, user.id, user.username)
      .exec();
  };

  /** Removes the user from the online set if no instance holds them; true when this call did. */
  const retireIfGone = async (user: OnlineUser): Promise<boolean> => {
    const now = Date.now();
    await redis.zremrangebyscore(userKey(user.id), '-inf', now);
    if ((await redis.zcard(userKey(user.id))) > 0) return false;
    return (await redis.zrem(onlineKey, user.id)) === 1;
  };

  const local = createLocalCounts(
    (user) => {
      void (async () => {
        const wasOnline = (await redis.zscore(onlineKey, user.id)) !== null;
        await mark(user);
        if (!wasOnline) bus.publish({ type: 'presence', user, online: true });
      })().catch(report);
    },
    (user) => {
      void (async () => {
        await redis.zrem(userKey(user.id), instance);
        if (await retireIfGone(user)) bus.publish({ type: 'presence', user, online: false });
      })().catch(report);
    },
    opts.graceMs ?? PRESENCE_GRACE_MS,
  );

  const heartbeat = setInterval(() => {
    void Promise.all([...local.counts.values()].map((e) => mark(e.user))).catch(report);
    void (async () => {
      const stale = await redis.zrangebyscore(onlineKey, '-inf', Date.now());
      for (const id of stale) {
        const username = (await redis.hget(namesKey, id)) ?? id;
        if (await retireIfGone({ id, username })) bus.publish({ type: 'presence', user: { id, username }, online: false });
      }
    })().catch(report);
  }, opts.heartbeatMs ?? Math.floor(ttl / 3));
  heartbeat.unref();

  return {
    connected: local.add,
    disconnected: local.remove,
    async online() {
      const ids = await redis.zrangebyscore(onlineKey, Date.now(), '+inf');
      if (ids.length === 0) return [];
      const names = await redis.hmget(namesKey, ...ids);
      return ids.map((id, i) => ({ id, username: names[i] ?? id }));
    },
    async onlineAmong(ids) {
      if (ids.length === 0) return new Set();
      const scores = await redis.zmscore(onlineKey, ...ids);
      const now = Date.now();
      return new Set(ids.filter((_, i) => scores[i] !== null && Number(scores[i]) > now));
    },
    async close() {
      clearInterval(heartbeat);
      // A clean shutdown leaves at once instead of waiting for the TTL.
      for (const user of local.clear()) {
        try {
          await redis.zrem(userKey(user.id), instance);
          if (await retireIfGone(user)) bus.publish({ type: 'presence', user, online: false });
        } catch (error) {
          report(error);
        }
      }
    },
  };
}
