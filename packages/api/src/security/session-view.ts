import { type Orm, repositoriesFor, type SessionRecord } from '@chat/db';
import type { TokenClaims } from '../auth/token';
import type { EventBus } from '../bus/event-bus';
import type { LiveSessions } from './live-sessions';

export interface SessionTiming {
  /** How long a token replaced by a refresh keeps working (requests in flight, the socket's move). */
  rotationGraceMs: number;
  /** How often each instance reads the sessions changed since its last look. */
  syncMs: number;
  /** How long a session row read from the database answers for it without another read. */
  cacheTtlMs: number;
}

export const DEFAULT_SESSION_TIMING: SessionTiming = { rotationGraceMs: 60_000, syncMs: 500, cacheTtlMs: 5 * 60_000 };

/** How a token's session stands; null when it must be refused. */
export type SessionStanding = { graceEndsAt: number | null } | null;

export interface SessionView {
  /** Whether the session behind these (validly signed) claims still accepts this token. */
  check(claims: TokenClaims): Promise<SessionStanding>;
  /** After `check` refused them: whether because their session was revoked (a logout), by the row it read. */
  loggedOut(claims: TokenClaims): boolean;
  /** The same rule for a row the caller just read. */
  judge(row: SessionRecord | null, claims: TokenClaims): SessionStanding;
  /** Just committed: tells this instance and, through the bus, every other one. */
  revoked(sessionIds: string[]): void;
  rotated(session: SessionRecord): void;
  close(): void;
}

const MAX_CACHED = 100_000;
/** updated_at is taken when a change starts, not when it commits: each look overlaps the last by this. */
const SYNC_OVERLAP_MS = 2_000;
const HOUSEKEEPING_MS = 60 * 60_000;

/**
 * This instance's view of the sessions table (docs/decisions/030-sessions.md). Requests are
 * checked against cached rows, so the hot path costs neither Redis nor (mostly) a database read.
 * A change reaches every instance at once through the bus, and within `syncMs` through the
 * database when the bus is down or drops it: the view reads the rows changed since its last look.
 */
export function createSessionView(opts: { orm: Orm; bus: EventBus; live: LiveSessions; timing: SessionTiming; onError: (error: unknown) => void }): SessionView {
  const { rotationGraceMs, syncMs, cacheTtlMs } = opts.timing;
  const repos = () => repositoriesFor(opts.orm.em.fork()).sessions;
  const cache = new Map<string, { row: SessionRecord | null; readAt: number }>();
  const loads = new Map<string, Promise<SessionRecord | null>>();

  const evict = (sessionId: string) => {
    cache.delete(sessionId);
    // A read that started before the change must not put the old row back.
    loads.delete(sessionId);
  };

  const load = (sessionId: string): Promise<SessionRecord | null> => {
    const pending = loads.get(sessionId);
    if (pending) return pending;
    const read = repos()
      .findById(sessionId)
      .then((row) => {
        if (loads.get(sessionId) === read) {
          cache.delete(sessionId);
          cache.set(sessionId, { row, readAt: Date.now() });
          if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
        }
        return row;
      })
      .finally(() => {
        if (loads.get(sessionId) === read) loads.delete(sessionId);
      });
    loads.set(sessionId, read);
    return read;
  };

  /** The standing, or 'unknown' for a token id this row does not know (it may be newer than the row). */
  const judge = (row: SessionRecord | null, claims: TokenClaims, now: number): SessionStanding | 'unknown' => {
    if (!row || row.userId !== claims.userId || row.revokedAt || row.expiresAt.getTime() <= now) return null;
    if (claims.tokenId === row.tokenId) return { graceEndsAt: null };
    if (claims.tokenId === row.previousTokenId && row.rotatedAt) {
      const graceEndsAt = row.rotatedAt.getTime() + rotationGraceMs;
      return graceEndsAt > now ? { graceEndsAt } : null;
    }
    return 'unknown';
  };

  const applyRevoked = (sessionIds: string[], keepCached = false) => {
    for (const id of sessionIds) {
      if (!keepCached) evict(id);
      opts.live.closeSession(id);
    }
  };
  const applyRotated = (sessionId: string, tokenId: string, rotatedAt: number, keepCached = false) => {
    if (!keepCached) evict(sessionId);
    // Told a little after the rotation, so the client has the new token when it reconnects.
    const closeAt = rotatedAt + rotationGraceMs;
    const moveAt = Math.min(rotatedAt + Math.min(2_000, rotationGraceMs / 4), closeAt);
    opts.live.rotated(sessionId, tokenId, moveAt, closeAt);
  };

  const stopBus = opts.bus.subscribe((event) => {
    if (event.type === 'sessions-revoked') applyRevoked(event.sessionIds);
    else if (event.type === 'session-rotated') applyRotated(event.sessionId, event.tokenId, event.rotatedAt);
  });

  // The database's own clock, so instances with skewed clocks miss nothing.
  let since: Date | null = null;
  let failing = false;
  let lastHousekeeping = Date.now();
  let syncing = false;
  const sync = async () => {
    if (syncing) return;
    syncing = true;
    try {
      const { sessions, now } = await repos().changedSince(since && new Date(since.getTime() - SYNC_OVERLAP_MS));
      since = now;
      failing = false;
      for (const row of sessions) {
        // Seen again in the overlap, or read by a request since: the cached copy is current. Sockets are told either way (that is idempotent).
        const cached = cache.get(row.id)?.row;
        const current = Boolean(cached && cached.tokenId === row.tokenId && Boolean(cached.revokedAt) === Boolean(row.revokedAt));
        if (row.revokedAt) applyRevoked([row.id], current);
        else if (row.rotatedAt) applyRotated(row.id, row.tokenId, row.rotatedAt.getTime(), current);
      }
      if (Date.now() - lastHousekeeping > HOUSEKEEPING_MS) {
        lastHousekeeping = Date.now();
        await repos().deleteExpired();
      }
    } catch (error) {
      // One report per outage, not one per second.
      if (!failing) opts.onError(error);
      failing = true;
    } finally {
      syncing = false;
    }
  };
  void sync();
  const timer = setInterval(() => void sync(), syncMs);
  timer.unref();

  return {
    async check(claims) {
      const now = Date.now();
      const cached = cache.get(claims.sessionId);
      const fresh = cached && now - cached.readAt < cacheTtlMs ? cached : null;
      const first = judge(fresh ? fresh.row : await load(claims.sessionId), claims, now);
      if (first !== 'unknown') return first;
      // A token newer than our copy (rotated on another instance just now): read again, at most once per sync period.
      if (!fresh || now - fresh.readAt < syncMs) return null;
      evict(claims.sessionId);
      const second = judge(await load(claims.sessionId), claims, Date.now());
      return second === 'unknown' ? null : second;
    },
    loggedOut(claims) {
      const row = cache.get(claims.sessionId)?.row;
      return Boolean(row && row.userId === claims.userId && row.revokedAt);
    },
    judge(row, claims) {
      const standing = judge(row, claims, Date.now());
      return standing === 'unknown' ? null : standing;
    },
    revoked(sessionIds) {
      if (sessionIds.length === 0) return;
      opts.bus.publish({ type: 'sessions-revoked', sessionIds });
    },
    rotated(session) {
      opts.bus.publish({ type: 'session-rotated', sessionId: session.id, tokenId: session.tokenId, rotatedAt: session.rotatedAt!.getTime() });
    },
    close() {
      clearInterval(timer);
      stopBus();
    },
  };
}
