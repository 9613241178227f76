export { initORM, migrate, repositoriesFor, isDatabaseReachable, type Orm, type OrmOptions, type Repositories } from './orm';
export { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded';
export { APPEND_LOCK_KEY } from './append-lock';
export { LockHoldsBusyError, shareLockHolds } from './repositories/lock-holds';
export type {
  UserRecord,
  UserCredentials,
  MessageRecord,
  ReactionRecord,
  MessageTarget,
  UserRefRecord,
  SessionRecord,
  RoomRecord,
  RoomMemberRecord,
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
  UserProfileRecord,
  UserStatusRecord,
  SessionListRecord,
} from './records';
export type { ProcessedAttachment, ReserveResult } from './repositories/attachment.repository';
export type { AppendResult } from './repositories/message.repository';
export type { RetentionBatch } from './repositories/event-retention';
export type { PlainAppend } from './repositories/message-batch';
export type { AuditDraft } from './repositories/audit.repository';
export type { OpenReportRecord } from './repositories/message-report.repository';
export type { PushSubscriptionRecord } from './repositories/push-subscription.repository';
export { MAX_PUSH_SUBSCRIPTIONS_PER_USER } from './repositories/push-subscription.repository';
export type { NotificationLevelRecord, NotificationScheduleRecord, NotificationSettingsRecord, PushAudienceRecord, RoomNotificationRecord } from './repositories/notification-setting.repository';
export type { RoomMembersRecord } from './repositories/room.repository';
export type { PinRecord, PinResult } from './repositories/message-pin.repository';
export type { AvatarChange } from './repositories/user-avatar';
export type { ProfileChange } from './repositories/user-profile';
export type { AccountDeletion } from './repositories/user-deletion';
export { deletedUsername } from './repositories/user-deletion';
export { EVERYONE_ROOM_ID, UNREAD_CAP } from './repositories/room.repository';
export { escapeLikePattern } from './repositories/user.repository';
export { usernameSkeleton } from './username-skeleton';
