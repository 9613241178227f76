// Plain records are what leaves this package: no managed entities, no password hashes.

export interface UserRecord {
  id: string;
  username: string;
  createdAt: Date;
}

export interface UserCredentials {
  user: UserRecord;
  passwordHash: string;
}

export interface MessageRecord {
  id: string;
  text: string;
  createdAt: Date;
  clientMessageId: string | null;
  author: { id: string; username: string };
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
  dmMembers: { id: string; username: string }[] | null;
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
}
