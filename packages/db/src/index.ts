export { initORM, migrate, repositoriesFor, isDatabaseReachable, type Orm, type OrmOptions, type Repositories } from './orm';
export { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded';
export type {
  UserRecord,
  UserCredentials,
  MessageRecord,
  ReactionRecord,
  MessageTarget,
  UserRefRecord,
  SessionRecord,
  RoomRecord,
  LinkPreviewRecord,
  RoomListRecord,
  ThreadSummaryRecord,
  ThreadListRecord,
  RoomKindRecord,
  EventRecord,
  RoleRecord,
  UserStandingRecord,
  InviteRecord,
  AuditRecord,
  AttachmentRecord,
  StoredAttachmentRecord,
} from './records';
export type { ProcessedAttachment, ReserveResult } from './repositories/attachment.repository';
export type { AuditDraft } from './repositories/audit.repository';
export type { OpenReportRecord } from './repositories/message-report.repository';
export type { RoomMembersRecord } from './repositories/room.repository';
export { EVERYONE_ROOM_ID, UNREAD_CAP } from './repositories/room.repository';
export { escapeLikePattern } from './repositories/user.repository';
export { usernameSkeleton } from './username-skeleton';
