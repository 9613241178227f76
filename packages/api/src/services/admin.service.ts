import type { AuditDraft, UserStandingRecord } from '@chat/db';
import type { z } from 'zod';
import { type AdminUser, type AuditEntry, toAdminUser, toAuditEntry } from '../admin-shapes';
import type { LiveEvent } from '../bus/event-bus';
import { DomainError } from '../errors';
import { publishEvents } from '../events/publish';
import type { adminUsersInput, auditLogInput, Role } from '../schemas/admin.schema';
import type { UserRef } from '../room-shapes';
import type { CallDeps } from './deps';
import { requireOutranks } from './role-rank';

/** Messages deleted per locked transaction by a ban's purge. */
const PURGE_BATCH = 200;

/** A caller who passed `adminProcedure`: an admin or an owner. */
export type Administrator = UserRef & { role: Role };

const ref = (u: { id: string; username: string }): UserRef => ({ id: u.id, username: u.username });

/**
 * Server-wide moderation (docs/decisions/110-roles-and-first-owner.md, 113-bans-and-mutes.md).
 * Every action writes one audit entry, in the action's own transaction where the action is one
 * (docs/decisions/112-audit-log.md); a ban's spans several, so its entry follows them.
 */
export function createAdminService(call: CallDeps) {
  const { repos, sessionView, bus } = call;

  const target = async (userId: string): Promise<UserStandingRecord> => {
    const user = await repos.users.standingById(userId);
    if (!user) throw new DomainError('NOT_FOUND', 'No user has this id');
    return user;
  };

  /** Admins act on members; only an owner acts on admins and owners (role-rank.ts); nobody on themselves. */
  const mayAct = (actor: Administrator, user: UserStandingRecord, verb: string) => {
    if (user.id === actor.id) throw new DomainError('BAD_REQUEST', `You cannot ${verb} yourself`);
    requireOutranks(actor.role, user.role, verb);
  };

  /** The entry of `actor`'s action on `user`, for the repository to write with the action. */
  const entry = (actor: Administrator, action: string, user: UserStandingRecord, reason: string | null, details: Record<string, unknown> | null = null): AuditDraft => ({
    actor: ref(actor),
    action,
    target: ref(user),
    reason,
    details,
  });

  /**
   * A ban's purge: every message of the user deleted as by a moderator (events to every client),
   * in batches so the append lock is never held for a whole history. One audit entry (the ban's) counts them.
   */
  const purgeMessages = async (actor: Administrator, userId: string): Promise<number> => {
    let purged = 0;
    for (;;) {
      const batch = await repos.messages.purgeAuthor({ authorId: userId, actorId: actor.id, limit: PURGE_BATCH });
      publishEvents(bus, batch.events);
      purged += batch.messageIds.length;
      if (batch.messageIds.length < PURGE_BATCH) break;
    }
    // Their uploads not sent yet go too; then the bytes of everything purged (docs/decisions/137).
    await repos.attachments.removeUnsentOf(userId);
    call.fileErasure.kick();
    return purged;
  };

  return {
    /** The caller's role; `adminProcedure` lets admins and owners through. */
    async roleOf(userId: string): Promise<Role | null> {
      return (await repos.users.standingById(userId))?.role ?? null;
    },

    async users(input: z.output<typeof adminUsersInput>): Promise<{ users: AdminUser[]; nextAfter: string | null }> {
      const rows = await repos.users.searchStanding(input.query, input.after?.toLowerCase() ?? null, input.limit + 1);
      const users = rows.slice(0, input.limit).map((u) => toAdminUser(u));
      return { users, nextAfter: rows.length > input.limit ? users.at(-1)!.username.toLowerCase() : null };
    },

    /**
     * Marks the account banned, then ends every session: sockets close on every instance through
     * the bus at once, and within the session view's poll period without it (decisions 030, 031).
     */
    async ban(actor: Administrator, { userId, reason, purge }: { userId: string; reason: string; purge?: boolean | undefined }): Promise<AdminUser> {
      mayAct(actor, await target(userId), 'ban');
      const banned = (await repos.users.ban(userId, reason))!;
      const ended = await repos.sessions.revokeAllOfUser(userId, null);
      sessionView.revoked(ended);
      const purged = purge === true ? await purgeMessages(actor, userId) : null;
      await repos.audit.append(entry(actor, 'ban', banned, reason, { endedSessions: ended.length, ...(purged === null ? {} : { purgedMessages: purged }) }));
      return toAdminUser(banned);
    },

    async unban(actor: Administrator, { userId, reason }: { userId: string; reason?: string | undefined }): Promise<AdminUser> {
      mayAct(actor, await target(userId), 'unban');
      const user = (await repos.users.unban(userId, (u) => entry(actor, 'unban', u, reason ?? null)))!;
      return toAdminUser(user);
    },

    /** Refuses the user's chat.send until `minutes` from now; 0 lifts it. */
    async mute(actor: Administrator, { userId, minutes, reason }: { userId: string; minutes: number; reason?: string | undefined }): Promise<AdminUser> {
      mayAct(actor, await target(userId), minutes === 0 ? 'unmute' : 'mute');
      const until = minutes === 0 ? null : new Date(Date.now() + minutes * 60_000);
      const user = (await repos.users.mute(userId, until, (u) => entry(actor, minutes === 0 ? 'unmute' : 'mute', u, reason ?? null, minutes === 0 ? null : { minutes, until: u.mutedUntil?.toISOString() })))!;
      return toAdminUser(user);
    },

    /**
     * Owners only. The last owner cannot step down (`pnpm user:role` can still change anything); the
     * actor's role, the target's and the owners are judged under one lock, so two owners demoting
     * each other at once leave one owner and the second call is refused.
     */
    async setRole(actor: Administrator, { userId, role }: { userId: string; role: Role }): Promise<AdminUser> {
      const notOwner = () => new DomainError('FORBIDDEN', 'Only an owner can change roles');
      if (actor.role !== 'owner') throw notOwner();
      const changed = await repos.users.changeRoleAsOwner({ actorId: actor.id, userId, role, audit: ({ from, user }) => entry(actor, 'role', user, null, { from, to: role }) });
      if (changed.status === 'actor-not-owner') throw notOwner();
      if (changed.status === 'not-found') throw new DomainError('NOT_FOUND', 'No user has this id');
      if (changed.status === 'last-owner') throw new DomainError('CONFLICT', 'This is the only owner; make someone else owner first');
      // After the commit: the user's open tabs show or hide what the role allows without a reload.
      bus.publish({ type: 'role-changed', userId: changed.user.id, role: changed.user.role });
      return toAdminUser(changed.user);
    },

    async auditLog({ before, limit }: z.output<typeof auditLogInput>): Promise<{ entries: AuditEntry[]; nextBefore: string | null }> {
      const rows = await repos.audit.page(before ?? null, limit + 1);
      const entries = rows.slice(0, limit).map(toAuditEntry);
      return { entries, nextBefore: rows.length > limit ? entries.at(-1)!.id : null };
    },
  };
}

/**
 * The command line's role change (`pnpm user:role NAME ROLE`): no caller to check, still audited.
 * `announce` tells the user's open streams after the commit, as setRole's bus.publish does; the
 * command passes the deployment's Redis (null without one: their tabs read the role back on reconnect).
 */
export async function setRoleFromCommandLine(
  repos: CallDeps['repos'],
  username: string,
  role: Role,
  announce: ((event: Extract<LiveEvent, { type: 'role-changed' }>) => Promise<void>) | null,
): Promise<AdminUser> {
  const before = await repos.users.standingByName(username);
  if (!before) throw new DomainError('NOT_FOUND', `No user is called "${username}"; they sign up first`);
  const user = (await repos.users.setRole(before.id, role, (u) => ({ actor: null, action: 'role', target: ref(u), details: { from: before.role, to: role, via: 'command line' } })))!;
  await announce?.({ type: 'role-changed', userId: user.id, role: user.role });
  return toAdminUser(user);
}
