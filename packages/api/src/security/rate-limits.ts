import type Redis from 'ioredis';
import {
  BurstyRateLimiter,
  type IRateLimiterOptions,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { DomainError } from '../errors';

/** Every limit, as "points per duration (seconds)". Documented in the README and SECURITY.md. */
export interface RateLimitConfig {
  /** Failed logins for one username from one IP before that pair is blocked. */
  loginFailuresPerUserIp: { points: number; duration: number };
  /** Failed logins from one IP, whatever the username (credential stuffing). */
  loginFailuresPerIp: { points: number; duration: number };
  signupsPerIp: { points: number; duration: number };
  /** Steady message rate per user; `burst` extra messages may be spent once per burst window. */
  messagesPerUser: { points: number; duration: number; burst: number; burstDuration: number };
  typingPerUser: { points: number; duration: number };
  wsConnectsPerIp: { points: number; duration: number };
}

export const DEFAULT_RATE_LIMITS: RateLimitConfig = {
  loginFailuresPerUserIp: { points: 5, duration: 15 * 60 },
  loginFailuresPerIp: { points: 50, duration: 60 * 60 },
  signupsPerIp: { points: 10, duration: 60 * 60 },
  messagesPerUser: { points: 20, duration: 10, burst: 10, burstDuration: 60 },
  typingPerUser: { points: 10, duration: 10 },
  wsConnectsPerIp: { points: 60, duration: 60 },
};

export type LimitKind = 'login' | 'signup' | 'message' | 'typing' | 'ws-connect';

export interface RateLimits {
  /** Throws TOO_MANY_REQUESTS while this username+IP or this IP is blocked for failed logins. */
  assertLoginAllowed(username: string, ip: string): Promise<void>;
  recordLoginFailure(username: string, ip: string): Promise<void>;
  recordLoginSuccess(username: string, ip: string): Promise<void>;
  consumeSignup(ip: string): Promise<void>;
  consumeMessage(userId: string): Promise<void>;
  consumeTyping(userId: string): Promise<void>;
  /** Returns seconds to wait, or 0 when the connection may proceed. */
  consumeWsConnect(ip: string): Promise<number>;
  onRefused(listener: (kind: LimitKind) => void): void;
}

const retryAfter = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

export function createRateLimits(config: RateLimitConfig, redis?: Redis | null, prefix = 'chat:'): RateLimits {
  const make = (keyPrefix: string, opts: Omit<IRateLimiterOptions, 'keyPrefix'>): RateLimiterAbstract =>
    redis
      ? // rejectIfRedisNotReady: while Redis is down the in-memory insurance limiter answers at once, without queueing for it.
        new RateLimiterRedis({ storeClient: redis, keyPrefix: `${prefix}rl:${keyPrefix}`, ...opts, rejectIfRedisNotReady: true, insuranceLimiter: new RateLimiterMemory({ keyPrefix, ...opts }) })
      : new RateLimiterMemory({ keyPrefix, ...opts });

  const loginUserIp = make('login-user-ip', config.loginFailuresPerUserIp);
  const loginIp = make('login-ip', config.loginFailuresPerIp);
  const signup = make('signup-ip', config.signupsPerIp);
  const messages = new BurstyRateLimiter(
    make('message', { points: config.messagesPerUser.points, duration: config.messagesPerUser.duration }),
    make('message-burst', { points: config.messagesPerUser.burst, duration: config.messagesPerUser.burstDuration }),
  );
  const typing = make('typing', config.typingPerUser);
  const wsConnect = make('ws-connect', config.wsConnectsPerIp);
  const listeners = new Set<(kind: LimitKind) => void>();

  const refuse = (kind: LimitKind, seconds: number, what: string) => {
    for (const listener of listeners) listener(kind);
    return new DomainError('TOO_MANY_REQUESTS', `${what}; try again in ${seconds} s`, seconds);
  };
  /** Consumes a point; a rejection with RateLimiterRes means "limited", anything else is a store failure. */
  const consume = async (limiter: Pick<RateLimiterAbstract, 'consume'>, key: string, kind: LimitKind, what: string) => {
    try {
      await limiter.consume(key);
    } catch (error) {
      if (error instanceof RateLimiterRes) throw refuse(kind, retryAfter(error), what);
      throw error;
    }
  };
  const userIpKey = (username: string, ip: string) => `${username.toLowerCase()}|${ip}`;

  return {
    async assertLoginAllowed(username, ip) {
      for (const [limiter, key, limit] of [
        [loginUserIp, userIpKey(username, ip), config.loginFailuresPerUserIp.points],
        [loginIp, ip, config.loginFailuresPerIp.points],
      ] as const) {
        const state = await limiter.get(key);
        if (state && state.consumedPoints >= limit) throw refuse('login', retryAfter(state), 'Too many failed logins');
      }
    },
    async recordLoginFailure(username, ip) {
      await Promise.all([loginUserIp.penalty(userIpKey(username, ip)), loginIp.penalty(ip)]);
    },
    async recordLoginSuccess(username, ip) {
      await loginUserIp.delete(userIpKey(username, ip));
    },
    consumeSignup: (ip) => consume(signup, ip, 'signup', 'Too many sign-ups from your network'),
    consumeMessage: (userId) => consume(messages, userId, 'message', 'You are sending messages too fast'),
    consumeTyping: (userId) => consume(typing, userId, 'typing', 'Too many typing notifications'),
    async consumeWsConnect(ip) {
      try {
        await wsConnect.consume(ip);
        return 0;
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        for (const listener of listeners) listener('ws-connect');
        return retryAfter(error);
      }
    },
    onRefused(listener) {
      listeners.add(listener);
    },
  };
}
