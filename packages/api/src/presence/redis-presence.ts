import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import type { EventBus } from '../bus/event-bus';
import { createLocalCounts, type OnlineUser, PRESENCE_GRACE_MS, type Presence, viewFollowing } from './presence';

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
 * A heartbeat's write, refused once its deadline (by Redis's own clock, TIME) has passed: a write
 * that waited out an outage in a socket or ioredis's offline queue lands after its caller gave up,
 * maybe after the user left, and would mark them online again until the next sweep.
 * Returns [applied, the user's previous online score or '', Redis's time in ms].
 */
const MARK = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if now > tonumber(ARGV[1]) then return {0, '', now} end
local previous = redis.call('ZSCORE', KEYS[2], ARGV[5])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('ZADD', KEYS[2], 'GT', ARGV[2], ARGV[5])
redis.call('HSET', KEYS[3], ARGV[5], ARGV[6])
return {1, previous or '', now}`;

/** Drops a user's expired instance entries and, when none is left, the user: atomically, so a concurrent mark is never lost. */
const RETIRE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) > 0 then return 0 end
return redis.call('ZREM', KEYS[2], ARGV[2])`;

/**
 * Presence across instances. Each user has a sorted set of the instances holding a socket for
 * them, scored by expiry; a global sorted set lists online users. Every heartbeat pushes this
 * instance's expiries forward, announces users that were gone (a stall, a Redis restart),
 * retries leaves that failed, retires users whose entries all expired (an instance that died),
 * and reconciles this instance's view with Redis, repairing events lost on the bus.
 * docs/decisions/060-presence-converges.md has the model.
 */
export function createRedisPresence(opts: RedisPresenceOptions): Presence {
  const instance = randomUUID();
  const ttl = opts.ttlMs ?? 30_000;
  const heartbeatMs = opts.heartbeatMs ?? Math.floor(ttl / 3);
  const { redis, bus, prefix } = opts;
  const userKey = (id: string) => `${prefix}presence:user:${id}`;
  const onlineKey = `${prefix}presence:online`;
  const namesKey = `${prefix}presence:names`;
  const report = (error: unknown) => opts.onError?.(error);
  const { view, unsubscribe } = viewFollowing(bus);
  /** Users who left here while their leave could not be written; retried by the heartbeat. */
  const pendingLeaves = new Map<string, OnlineUser>();

  /** How long a write may wait before it must not land: as long as its caller waits for it. */
  const writeDeadlineMs = redis.options.commandTimeout ?? heartbeatMs;
  /** Redis's clock minus ours, learned from each mark's reply, so deadlines survive skewed clocks. */
  let redisClockOffset = 0;

  /** Holds the user for this instance; true when they were not online before (a join to announce). */
  const mark = async (user: OnlineUser, retried = false): Promise<boolean> => {
    const now = Date.now();
    const expiry = now + ttl;
    const deadline = Math.ceil(now + redisClockOffset + writeDeadlineMs);
    const [applied, previous, redisNow] = (await redis.eval(
      MARK,
      3,
      userKey(user.id),
      onlineKey,
      namesKey,
      deadline,
      expiry,
      instance,
      ttl * 2,
      user.id,
      user.username,
    )) as [number, string, number];
    const roundTrip = Date.now() - now;
    // A quick reply dates Redis's clock well; a slow one (Redis busy) would skew the estimate.
    if (roundTrip <= writeDeadlineMs / 4 || applied !== 1) redisClockOffset = redisNow - (now + roundTrip / 2);
    if (applied !== 1) {
      // Refused though the reply came in time: the clock estimate was off, not the write late.
      if (!retried && roundTrip < writeDeadlineMs) return mark(user, true);
      throw new Error('presence mark refused: it reached Redis after its deadline');
    }
    // An expired score not yet swept counts as gone: user.search already says offline.
    return previous === '' || Number(previous) <= now;
  };
  const join = async (user: OnlineUser) => {
    if (await mark(user)) bus.publish({ type: 'presence', user, online: true });
  };
  /** Whichever instance removes the user publishes the one leave. */
  const retire = async (user: OnlineUser) => {
    if ((await redis.eval(RETIRE, 2, userKey(user.id), onlineKey, Date.now(), user.id)) === 1) bus.publish({ type: 'presence', user, online: false });
  };
  const leave = async (user: OnlineUser) => {
    await redis.zrem(userKey(user.id), instance);
    await retire(user);
  };

  const local = createLocalCounts(
    (user) => {
      pendingLeaves.delete(user.id);
      join(user).catch(report);
    },
    (user) => {
      leave(user).catch((error: unknown) => {
        pendingLeaves.set(user.id, user);
        report(error);
      });
    },
    opts.graceMs ?? PRESENCE_GRACE_MS,
  );

  async function online(): Promise<OnlineUser[]> {
    const ids = await redis.zrangebyscore(onlineKey, Date.now(), '+inf');
    if (ids.length === 0) return [];
    const names = await redis.hmget(namesKey, ...ids);
    return ids.map((id, i) => ({ id, username: names[i] ?? id }));
  }

  let beating: Promise<void> | null = null;
  /** One heartbeat at a time; each step reads what the previous ones wrote. */
  const beat = () =>
    (beating ??= (async () => {
      try {
        await Promise.all([...local.counts.values()].map((e) => join(e.user)));
        for (const [id, user] of pendingLeaves) {
          if (!local.counts.has(id)) await leave(user);
          pendingLeaves.delete(id);
        }
        for (const id of await redis.zrangebyscore(onlineKey, '-inf', Date.now())) await retire({ id, username: (await redis.hget(namesKey, id)) ?? id });
        const readAt = view.beginRead();
        view.settle(readAt, await online());
      } catch (error) {
        report(error);
      } finally {
        beating = null;
      }
    })());
  const heartbeat = setInterval(() => void beat(), heartbeatMs);
  heartbeat.unref();
  // Back from an outage: whatever happened meanwhile is repaired now, not a heartbeat later.
  const stopRecovery = bus.onRecovered(() => void beat());
  // The first view, bounded: a dead Redis at start must not hold subscribers for long.
  const ready = Promise.race([beat(), new Promise<void>((r) => setTimeout(r, heartbeatMs).unref())]);

  return {
    connected: local.add,
    disconnected: local.remove,
    online,
    async onlineAmong(ids) {
      if (ids.length === 0) return new Set();
      const scores = await redis.zmscore(onlineKey, ...ids);
      const now = Date.now();
      return new Set(ids.filter((_, i) => scores[i] !== null && Number(scores[i]) > now));
    },
    view,
    ready,
    async close() {
      clearInterval(heartbeat);
      stopRecovery();
      unsubscribe();
      // A clean shutdown leaves at once instead of waiting for the TTL.
      for (const user of local.clear()) await leave(user).catch(report);
    },
  };
}
