import type { AuditRecord, InviteRecord, OpenReportRecord, UserStandingRecord } from '@chat/db';
import { type ChatMessage, toChatMessage } from './shapes';
import type { UserRef } from './room-shapes';
import type { RegistrationMode, Role } from './schemas/admin.schema';

// What admin.* returns: plain JSON, times as ISO-8601 strings.

export interface AdminUser {
  id: string;
  username: string;
  createdAt: string;
  role: Role;
  banned: { at: string; reason: string | null } | null;
  /** Set while a mute lasts. */
  mutedUntil: string | null;
}

export type InviteState = 'active' | 'used up' | 'expired' | 'revoked';

export interface InviteView {
  code: string;
  /** The sign-up link to hand out. */
  url: string;
  state: InviteState;
  createdBy: UserRef;
  uses: number;
  used: number;
  expiresAt: string;
  revokedAt: string | null;
  createdAt: string;
  usedBy: { user: UserRef; at: string }[];
}

export type AuditAction = 'ban' | 'unban' | 'mute' | 'unmute' | 'role' | 'registration' | 'invite.create' | 'invite.revoke'
  | 'room.remove'
  /** A moderator deleted someone's message (details: messageId, roomId, room; reportId when from a report; purge when by a ban). */
  | 'message.delete'
  /** A channel moderator pinned or unpinned a message (details: messageId, roomId, room, authorId; docs/decisions/154). */
  | 'message.pin'
  | 'message.unpin'
  | 'report.dismiss'
  | 'report.delete';

export interface AuditEntry {
  id: string;
  at: string;
  /** Null: the server's command line (`pnpm user:role`). */
  actor: UserRef | null;
  action: AuditAction;
  target: UserRef | null;
  reason: string | null;
  details: Record<string, unknown> | null;
}

export interface RegistrationView {
  mode: RegistrationMode;
  /** `env`: REGISTRATION_MODE is set and wins; the screen cannot change it. */
  source: 'env' | 'setting' | 'default';
}

export const toAdminUser = (u: UserStandingRecord, now = Date.now()): AdminUser => ({
  id: u.id,
  username: u.username,
  createdAt: u.createdAt.toISOString(),
  role: u.role,
  banned: u.bannedAt ? { at: u.bannedAt.toISOString(), reason: u.banReason } : null,
  mutedUntil: u.mutedUntil && u.mutedUntil.getTime() > now ? u.mutedUntil.toISOString() : null,
});

export const inviteState = (i: InviteRecord, now = Date.now()): InviteState =>
  i.revokedAt ? 'revoked' : i.used >= i.uses ? 'used up' : i.expiresAt.getTime() <= now ? 'expired' : 'active';

export const toInviteView = (i: InviteRecord, url: string): InviteView => ({
  code: i.code,
  url,
  state: inviteState(i),
  createdBy: i.createdBy,
  uses: i.uses,
  used: i.used,
  expiresAt: i.expiresAt.toISOString(),
  revokedAt: i.revokedAt?.toISOString() ?? null,
  createdAt: i.createdAt.toISOString(),
  usedBy: i.usedBy.map((u) => ({ user: { id: u.id, username: u.username }, at: u.at.toISOString() })),
});

export const toAuditEntry = (a: AuditRecord): AuditEntry => ({
  id: a.id,
  at: a.createdAt.toISOString(),
  actor: a.actor,
  action: a.action as AuditAction,
  target: a.target,
  reason: a.reason,
  details: a.details,
});

/** A message with open reports, as admins see it in admin.reports. */
export interface ReportView {
  /** Pass to admin.resolveReport: it closes every open report of this message. */
  reportId: string;
  message: ChatMessage;
  room: { id: string; name: string; kind: string };
  /** A few messages before and after it in its room, in their current state. */
  context: { before: ChatMessage[]; after: ChatMessage[] };
  /** Oldest first. */
  reports: { id: string; reporter: UserRef; reason: string; at: string }[];
}

export const toReportView = (r: OpenReportRecord, context: { before: ChatMessage[]; after: ChatMessage[] }): ReportView => ({
  reportId: r.reportId,
  message: toChatMessage(r.message),
  room: r.room,
  context,
  reports: r.reports.map((x) => ({ id: x.id, reporter: x.reporter, reason: x.reason, at: x.createdAt.toISOString() })),
});
