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
  /** Failed logins for one account from all addresses together; the owner's known addresses are exempt. */
  loginFailuresPerAccount: { points: number; duration: number };
  /** Every login attempt from one IP, right or wrong: bounds the password hashing one address can ask for. */
  loginsPerIp: { points: number; duration: number };
  /** How long an address that logged into an account stays exempt from that account's limit (under 24 days: a timer). */
  knownAddressSeconds: number;
  signupsPerIp: { points: number; duration: number };
  /** Steady message rate per user; `burst` extra messages may be spent once per burst window. */
  messagesPerUser: { points: number; duration: number; burst: number; burstDuration: number };
  typingPerUser: { points: number; duration: number };
  wsConnectsPerIp: { points: number; duration: number };
  /** History rows one user may read per duration: what a flood of history calls costs the database. */
  historyRowsPerUser: { points: number; duration: number };
  /** chat.search calls per user (each is a full-text query); default 10 per 10 s. */
  searchesPerUser?: { points: number; duration: number };
  /** Room writes per user (create, update, invite, remove, openDirect, join, leave): each is a row and an event to the room. */
  roomWritesPerUser: { points: number; duration: number };
  /** The user's own joins and leaves (each a room.joined/room.left to every member): churn on a big channel. */
  membershipChangesPerUser: { points: number; duration: number };
  /** room.markRead calls per user: the web sends at most one a second per room it reads (read-mark-sender.ts), so this one is generous. */
  readMarksPerUser: { points: number; duration: number };
  /** Mutations of the admin.* procedures per admin (each an audit entry; a ban fans out). */
  adminActionsPerUser: { points: number; duration: number };
  /** auth.refresh calls per user: each rotation is a session write and a message to every instance. */
  tokenRefreshesPerUser: { points: number; duration: number };
  /** Uploads started per user (issue 24); default 20 a minute (UPLOADS_PER_MINUTE). */
  uploadsPerUser?: { points: number; duration: number };
  /** Avatar changes and removals per user (each a user.updated to every room showing them); default 10 an hour. */
  avatarChangesPerUser?: { points: number; duration: number };
  /** account.delete attempts per user (each verifies the password); default 5 an hour. */
  accountDeletionsPerUser?: { points: number; duration: number };
  /** Requests under /files/ per user once authenticated (downloads, tus HEAD/PATCH/DELETE); default 600 a minute. */
  fileRequestsPerUser?: { points: number; duration: number };
  /** push.subscribe/unsubscribe and notifications.set* per user (issue 25): each a row and, for settings, an event to the user's devices. */
  notificationWritesPerUser?: { points: number; duration: number };
  /** push.focus reports per user: each a message to every instance (docs/decisions/150). */
  focusReportsPerUser?: { points: number; duration: number };
  /** user.updateProfile (a user.updated to every room showing the user) and auth.revokeSession per user; default 30 an hour (docs/decisions/155). */
  accountWritesPerUser?: { points: number; duration: number };
  /** New group DMs per user (each puts up to 7 people's lists a room unasked); default 20 an hour (docs/decisions/153). */
  groupDmsPerUser?: { points: number; duration: number };
}

export const DEFAULT_UPLOADS = { points: 20, duration: 60 };
export const DEFAULT_AVATAR_CHANGES = { points: 10, duration: 60 * 60 };
export const DEFAULT_ACCOUNT_DELETIONS = { points: 5, duration: 60 * 60 };
// A room full of images costs one request per thumbnail (cached by the browser for its max-age): 600 a
// minute is a long scroll through an image-heavy history, and stops a loop of downloads at 10 a second.
export const DEFAULT_FILE_REQUESTS = { points: 600, duration: 60 };

const DEFAULT_SEARCHES = { points: 10, duration: 10 };
export const DEFAULT_NOTIFICATION_WRITES = { points: 30, duration: 60 };
export const DEFAULT_FOCUS_REPORTS = { points: 30, duration: 10 };
export const DEFAULT_ACCOUNT_WRITES = { points: 30, duration: 60 * 60 };
export const DEFAULT_GROUP_DMS = { points: 20, duration: 60 * 60 };

export const DEFAULT_RATE_LIMITS: RateLimitConfig = {
  loginFailuresPerUserIp: { points: 5, duration: 15 * 60 },
  loginFailuresPerIp: { points: 50, duration: 60 * 60 },
  loginFailuresPerAccount: { points: 100, duration: 24 * 60 * 60 },
  loginsPerIp: { points: 30, duration: 60 },
  knownAddressSeconds: 14 * 24 * 60 * 60,
  signupsPerIp: { points: 10, duration: 60 * 60 },
  messagesPerUser: { points: 20, duration: 10, burst: 10, burstDuration: 60 },
  typingPerUser: { points: 10, duration: 10 },
  wsConnectsPerIp: { points: 60, duration: 60 },
  historyRowsPerUser: { points: 2000, duration: 10 },
  searchesPerUser: DEFAULT_SEARCHES,
  roomWritesPerUser: { points: 60, duration: 60 },
  membershipChangesPerUser: { points: 60, duration: 60 * 60 },
  readMarksPerUser: { points: 100, duration: 10 },
  adminActionsPerUser: { points: 60, duration: 60 },
  tokenRefreshesPerUser: { points: 20, duration: 60 },
  uploadsPerUser: DEFAULT_UPLOADS,
  fileRequestsPerUser: DEFAULT_FILE_REQUESTS,
  notificationWritesPerUser: DEFAULT_NOTIFICATION_WRITES,
  focusReportsPerUser: DEFAULT_FOCUS_REPORTS,
};

export type LimitKind =
  | 'login'
  | 'signup'
  | 'message'
  | 'typing'
  | 'ws-connect'
  | 'history'
  | 'search'
  | 'room-write'
  | 'membership'
  | 'read-mark'
  | 'admin-action'
  | 'token-refresh'
  | 'upload'
  | 'avatar'
  | 'account-delete'
  | 'file-request'
  | 'notification-write'
  | 'focus'
  | 'account-write'
  | 'group-dm';

/** One login attempt, counted as a failure from the moment it is reserved. */
export interface LoginAttempt {
  /** The password was right: forget this pair's failures and the account's, and remember the address. */
  succeeded(): Promise<void>;
  /** The password was never checked (the hash queue was full, the database failed): not a guess. */
  cancel(): Promise<void>;
}

export interface RateLimits {
  /**
   * Reserves a login attempt before any hashing, or throws TOO_MANY_REQUESTS. Atomic in the store,
   * so no amount of concurrency verifies more passwords than the limits allow.
   */
  reserveLogin(username: string, ip: string): Promise<LoginAttempt>;
  consumeSignup(ip: string): Promise<void>;
  consumeMessage(userId: string): Promise<void>;
  /** Gives back a message point taken for what turned out to be a retry of a stored send (best effort). */
  refundMessage(userId: string): Promise<void>;
  consumeTyping(userId: string): Promise<void>;
  /** Takes `rows` from the user's history budget before the rows are read; all or nothing. */
  consumeHistoryRows(userId: string, rows: number): Promise<void>;
  consumeSearch(userId: string): Promise<void>;
  /** One room write (create, update, invite, remove, openDirect); charge it before the write. */
  consumeRoomWrite(userId: string): Promise<void>;
  /** A join or leave of the user's own: a room write and a membership change, both or neither. */
  consumeMembershipChange(userId: string): Promise<void>;
  consumeReadMark(userId: string): Promise<void>;
  consumeAdminAction(userId: string): Promise<void>;
  consumeTokenRefresh(userId: string): Promise<void>;
  /** push.subscribe, push.unsubscribe, notifications.setRoom, notifications.setSchedule. */
  consumeNotificationWrite(userId: string): Promise<void>;
  /** push.focus: which room the user is looking at. */
  consumeFocusReport(userId: string): Promise<void>;
  /** A group DM about to be made (reopening one is a room write only). */
  consumeGroupDm(userId: string): Promise<void>;
  /** One upload started (a file's tus creation); charged before anything is stored. */
  consumeUpload(userId: string): Promise<void>;
  consumeAvatarChange(userId: string): Promise<void>;
  /** user.updateProfile, auth.revokeSession. */
  consumeAccountWrite(userId: string): Promise<void>;
  consumeAccountDeletion(userId: string): Promise<void>;
  /** One authenticated request under /files/ (a download, or a tus HEAD/PATCH/DELETE); charged before any read. */
  consumeFileRequest(userId: string): Promise<void>;
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
  const loginAccount = make('login-account', config.loginFailuresPerAccount);
  const logins = make('logins-ip', config.loginsPerIp);
  const knownAddresses = make('login-known', { points: 1, duration: config.knownAddressSeconds });
  const signup = make('signup-ip', config.signupsPerIp);
  const steadyMessages = make('message', { points: config.messagesPerUser.points, duration: config.messagesPerUser.duration });
  const messages = new BurstyRateLimiter(steadyMessages, make('message-burst', { points: config.messagesPerUser.burst, duration: config.messagesPerUser.burstDuration }));
  const typing = make('typing', config.typingPerUser);
  const wsConnect = make('ws-connect', config.wsConnectsPerIp);
  const historyRows = make('history-rows', config.historyRowsPerUser);
  const searches = make('search', config.searchesPerUser ?? DEFAULT_SEARCHES);
  const roomWrites = make('room-write', config.roomWritesPerUser);
  const memberships = make('membership', config.membershipChangesPerUser);
  const readMarks = make('read-mark', config.readMarksPerUser);
  const adminActions = make('admin-action', config.adminActionsPerUser);
  const tokenRefreshes = make('token-refresh', config.tokenRefreshesPerUser);
  const uploads = make('upload', config.uploadsPerUser ?? DEFAULT_UPLOADS);
  const avatarChanges = make('avatar', config.avatarChangesPerUser ?? DEFAULT_AVATAR_CHANGES);
  const accountDeletions = make('account-delete', config.accountDeletionsPerUser ?? DEFAULT_ACCOUNT_DELETIONS);
  const fileRequests = make('file-request', config.fileRequestsPerUser ?? DEFAULT_FILE_REQUESTS);
  const notificationWrites = make('notification-write', config.notificationWritesPerUser ?? DEFAULT_NOTIFICATION_WRITES);
  const focusReports = make('focus', config.focusReportsPerUser ?? DEFAULT_FOCUS_REPORTS);
  const accountWrites = make('account-write', config.accountWritesPerUser ?? DEFAULT_ACCOUNT_WRITES);
  const groupDms = make('group-dm', config.groupDmsPerUser ?? DEFAULT_GROUP_DMS);
  const listeners = new Set<(kind: LimitKind) => void>();

  const refuse = (kind: LimitKind, seconds: number, what: string) => {
    for (const listener of listeners) listener(kind);
    return new DomainError('TOO_MANY_REQUESTS', `${what}; try again in ${seconds} s`, seconds);
  };
  /** Consumes a point; a rejection with RateLimiterRes means "limited", anything else is a store failure. */
  const consume = async (limiter: Pick<RateLimiterAbstract, 'consume'>, key: string, kind: LimitKind, what: string, points = 1) => {
    try {
      await limiter.consume(key, points);
    } catch (error) {
      if (error instanceof RateLimiterRes) throw refuse(kind, retryAfter(error), what);
      throw error;
    }
  };
  const userIpKey = (username: string, ip: string) => `${username.toLowerCase()}|${ip}`;

  return {
    async reserveLogin(username, ip) {
      const account = username.toLowerCase();
      const pair = userIpKey(username, ip);
      await consume(logins, ip, 'login', 'Too many login attempts from your network');
      // An address the owner logged in from is not held back by failures from everywhere else.
      const known = (await knownAddresses.get(`${account}|${ip}`).catch(() => null)) !== null;
      const reserved: [RateLimiterAbstract, string][] = [];
      const refund = () => Promise.all(reserved.map(([limiter, key]) => limiter.reward(key))).then(() => {});
      try {
        for (const [limiter, key, what] of [
          [loginUserIp, pair, 'Too many failed logins'],
          [loginIp, ip, 'Too many failed logins from your network'],
          ...(known ? [] : [[loginAccount, account, 'Too many failed logins for this account'] as const]),
        ] as const) {
          await consume(limiter, key, 'login', what);
          reserved.push([limiter, key]);
        }
      } catch (error) {
        await refund();
        throw error;
      }
      return {
        async succeeded() {
          await Promise.all([
            loginUserIp.delete(pair),
            loginIp.reward(ip),
            loginAccount.delete(account),
            knownAddresses.set(`${account}|${ip}`, 1, config.knownAddressSeconds).catch(() => {}),
          ]);
        },
        cancel: refund,
      };
    },
    consumeSignup: (ip) => consume(signup, ip, 'signup', 'Too many sign-ups from your network'),
    consumeMessage: (userId) => consume(messages, userId, 'message', 'You are sending messages too fast'),
    // The steady limiter's point (a burst point, if one was taken, stays spent: a refund is never a gain).
    refundMessage: (userId) => steadyMessages.reward(userId).then(
      () => {},
      () => {},
    ),
    consumeSearch: (userId) => consume(searches, userId, 'search', 'You are searching too fast'),
    consumeTyping: (userId) => consume(typing, userId, 'typing', 'Too many typing notifications'),
    consumeRoomWrite: (userId) => consume(roomWrites, userId, 'room-write', 'You are changing rooms too fast'),
    async consumeMembershipChange(userId) {
      await consume(roomWrites, userId, 'room-write', 'You are changing rooms too fast');
      try {
        await consume(memberships, userId, 'membership', 'You are joining and leaving rooms too often');
      } catch (error) {
        // Refused: the room write taken a moment ago is given back, so a refused call costs nothing.
        if (error instanceof DomainError) await roomWrites.reward(userId);
        throw error;
      }
    },
    consumeReadMark: (userId) => consume(readMarks, userId, 'read-mark', 'You are marking messages read too fast'),
    consumeAdminAction: (userId) => consume(adminActions, userId, 'admin-action', 'Too many admin actions'),
    consumeTokenRefresh: (userId) => consume(tokenRefreshes, userId, 'token-refresh', 'Too many token refreshes'),
    consumeUpload: (userId) => consume(uploads, userId, 'upload', 'You are uploading files too fast'),
    consumeAvatarChange: (userId) => consume(avatarChanges, userId, 'avatar', 'You are changing your picture too often'),
    consumeAccountDeletion: (userId) => consume(accountDeletions, userId, 'account-delete', 'Too many attempts to delete this account'),
    consumeFileRequest: (userId) => consume(fileRequests, userId, 'file-request', 'Too many file requests'),
    consumeNotificationWrite: (userId) => consume(notificationWrites, userId, 'notification-write', 'You are changing notification settings too fast'),
    consumeFocusReport: (userId) => consume(focusReports, userId, 'focus', 'Too many focus reports'),
    consumeAccountWrite: (userId) => consume(accountWrites, userId, 'account-write', 'You are changing your profile or sessions too often'),
    consumeGroupDm: (userId) => consume(groupDms, userId, 'group-dm', 'You are starting too many group conversations'),
    async consumeHistoryRows(userId, rows) {
      try {
        await consume(historyRows, userId, 'history', 'You are reading history too fast', rows);
      } catch (error) {
        // A refused read takes nothing: the rest of the budget still serves a smaller page.
        if (error instanceof DomainError) await historyRows.reward(userId, rows);
        throw error;
      }
    },
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
