// Plain records are what leaves this package: no managed entities, no password hashes.

export interface UserRecord {
  id: string;
  username: string;
  createdAt: Date;
  /** The avatar's storage key (its version), where the query reads it; null or absent: none. */
  avatar?: string | null;
  /** The profile (docs/decisions/155-profiles.md), where the query reads it; a status past its expiry is null. */
  displayName?: string | null;
  status?: UserStatusRecord | null;
  timeZone?: string | null;
}

export interface UserStatusRecord {
  /** May be '' when the emoji says it all. */
  text: string;
  emoji: string | null;
  expiresAt: Date | null;
}

/** A user with the whole profile: what user.updated carries and user.profile shows. */
export interface UserProfileRecord extends UserRefRecord {
  createdAt?: Date;
  displayName: string | null;
  status: UserStatusRecord | null;
  timeZone: string | null;
}

export interface UserCredentials {
  user: UserRecord;
  passwordHash: string;
}

export interface UserRefRecord {
  id: string;
  username: string;
  /** Message authors and member lists only: the avatar's key, null for none. */
  avatar?: string | null;
  /** Where avatars are read, the display name too; null for none. */
  displayName?: string | null;
}

/** A message in its current state; the optional parts are absent where a query does not read them. */
export interface MessageRecord {
  id: string;
  text: string;
  createdAt: Date;
  clientMessageId: string | null;
  author: UserRefRecord;
  editedAt?: Date | null;
  deleted?: { at: Date; by: 'author' | 'moderator' } | null;
  /** The answered message as it is now (its full text: the API cuts the excerpt). */
  replyTo?: { id: string; author: UserRefRecord; text: string; deleted: boolean } | null;
  /** In order of first appearance. */
  mentions?: UserRefRecord[];
  /** Only where read for a reader (history, search, chat.react). */
  reactions?: ReactionRecord[];
  /** The first link's preview card; null while none (never fetched, refused, removed by the author, or deleted). */
  preview?: LinkPreviewRecord | null;
  /** Files sent with it, in the order sent (issue 24). */
  attachments?: AttachmentRecord[];
  /** A thread reply: its root (docs/decisions/145-threads.md); absent for a message of the room. */
  threadRootId?: string;
  /** A thread reply: whether it was also sent to the room. */
  inRoom?: boolean;
  /** A root with replies: its counters. */
  thread?: ThreadSummaryRecord;
}

/** A root's thread counters: every reply counts, deleted ones too (they stay in the thread as placeholders). */
export interface ThreadSummaryRecord {
  replyCount: number;
  lastReplyAt: Date;
  /** The last (at most 3) distinct repliers, newest first. */
  repliers: UserRefRecord[];
}

/** A followed thread as its follower sees it (thread.list). */
export interface ThreadListRecord {
  root: MessageRecord & { roomId: string };
  lastReadMessageId: string | null;
  /** The newest reply when the counts were read: they cover every reply up to it. */
  lastReplyId: string | null;
  /** Replies by others after the read mark (capped like room unread counts). */
  unread: number;
  /** Of those, the ones not deleted whose current mentions name the follower. */
  mentions: number;
}

/** A file of a message as readers see it (no storage keys, no uploader). */
export interface AttachmentRecord {
  id: string;
  name: string;
  type: string;
  size: number;
  kind: 'image' | 'file';
  width: number | null;
  height: number | null;
  animated: boolean | null;
}

/** An attachment row as the file rules need it. */
export interface StoredAttachmentRecord {
  id: string;
  uploaderId: string;
  /** Null for an avatar upload. */
  roomId: string | null;
  messageId: string | null;
  status: 'uploading' | 'ready';
  name: string;
  /** Null while uploading. */
  type: string | null;
  size: number;
  kind: 'image' | 'file' | null;
  width: number | null;
  height: number | null;
  animated: boolean | null;
  thumbnail: { key: string; width: number; height: number; type: string } | null;
}

/** A link preview card as stored in `messages.preview` (docs/decisions/138-link-previews.md). */
export interface LinkPreviewRecord {
  url: string;
  title: string;
  description?: string;
  siteName?: string;
  /**
   * An absolute https image URL that passed the same address checks as the page; `attachmentId` when
   * the server stored it re-encoded as a file of the message (docs/decisions/141-preview-images-stored.md).
   */
  image?: { url: string; width?: number; height?: number; attachmentId?: string };
}

/** One emoji's reactions to a message as one reader sees them. */
export interface ReactionRecord {
  emoji: string;
  count: number;
  /** The first 20, oldest first. */
  users: UserRefRecord[];
  me: boolean;
  /** The emoji's `emoji_order` as a decimal string: messages list their emoji by it, ascending. */
  order: string;
}

/** A message a user asked to change, as found for the rules (author, age, deleted). */
export interface MessageTarget {
  id: string;
  roomId: string;
  authorId: string;
  createdAt: Date;
  /** How long ago it was sent, by the database's clock (the edit window is judged by it). */
  ageMs: number;
  deleted: boolean;
  text: string;
}

export interface SessionRecord {
  id: string;
  userId: string;
  tokenId: string;
  previousTokenId: string | null;
  rotatedAt: Date | null;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

/** A live session as its user sees it in the settings (docs/decisions/156-sessions-and-devices.md). */
export interface SessionListRecord {
  id: string;
  device: string | null;
  createdAt: Date;
  /** The last refresh, or the login. */
  lastUsedAt: Date;
}

export type RoomKindRecord = 'channel' | 'private' | 'dm';

export interface RoomRecord {
  id: string;
  kind: RoomKindRecord;
  name: string;
  topic: string | null;
  createdBy: string | null;
  createdAt: Date;
  memberCount: number;
  /** DMs only: both members (each sees the other as the room's name). */
  dmMembers: RoomMemberRecord[] | null;
  /** Group DMs only (docs/decisions/153): the current members, by name; null for every other room. */
  groupMembers: RoomMemberRecord[] | null;
}

/** A member of a DM or group DM as the room names them: avatar and display name only when set (docs/decisions/155). */
export interface RoomMemberRecord {
  id: string;
  username: string;
  avatar?: string;
  displayName?: string;
}

/** A row of the caller's room list. */
export interface RoomListRecord {
  room: RoomRecord;
  unread: number;
  lastReadMessageId: string | null;
  lastMessageId: string | null;
  lastActivityAt: Date;
  /** Unread messages by others, not deleted, that mention the user. */
  mentions: number;
}

/** A stored event as read back: message.created carries its message in its current state. */
export interface EventRecord {
  id: string;
  type: string;
  roomId: string;
  userId: string | null;
  actorId: string | null;
  messageId: string | null;
  message: (MessageRecord & { roomId: string }) | null;
  payload: Record<string, unknown> | null;
  createdAt: Date;
  /** A thread-only reply's root, for an event about that reply (its edit, delete, reaction...): such events go out as thread.message. */
  threadRootId?: string;
  /** Users who may not read `message` as read now, though the event is theirs (docs/decisions/123); absent when none. */
  hiddenFrom?: string[];
}

/** Server-wide roles (docs/decisions/110-roles-and-first-owner.md). */
export type RoleRecord = 'owner' | 'admin' | 'member';

/** A user as admins see them: role, ban and mute. */
export interface UserStandingRecord extends UserRecord {
  role: RoleRecord;
  bannedAt: Date | null;
  banReason: string | null;
  mutedUntil: Date | null;
}

export interface InviteRecord {
  code: string;
  createdBy: { id: string; username: string };
  uses: number;
  used: number;
  expiresAt: Date;
  revokedAt: Date | null;
  createdAt: Date;
  usedBy: { id: string; username: string; at: Date }[];
}

export interface AuditRecord {
  id: string;
  /** Null: the server's command line. */
  actor: { id: string; username: string } | null;
  action: string;
  target: { id: string; username: string } | null;
  reason: string | null;
  details: Record<string, unknown> | null;
  createdAt: Date;
}
