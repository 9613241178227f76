import type { MessageRecord, UserRecord } from '@chat/db';
import type { UserRef } from './room-shapes';

// The shapes the API returns: plain JSON, timestamps as ISO-8601 strings.

export interface PublicUser {
  id: string;
  username: string;
  createdAt: string;
}

export interface ChatMessage {
  id: string;
  text: string;
  createdAt: string;
  author: { id: string; username: string };
  clientMessageId: string | null;
  // Issue 15: each field below is omitted when empty, so a plain message's JSON is what it always was.
  /** ISO time of the last edit. */
  editedAt?: string;
  /** Set when the message was deleted: `text` is '' and mentions, reactions and replyTo are omitted. */
  deleted?: { at: string; by: 'author' | 'moderator' };
  /** The message this one answers, in that message's current state (excerpt '' once it is deleted). */
  replyTo?: { id: string; author: UserRef; excerpt: string; deleted: boolean };
  /** Members of the room named as `@username`, in order of first appearance (at most 20). */
  mentions?: UserRef[];
  /** One entry per emoji, in order of each emoji's oldest current reaction. */
  reactions?: Reaction[];
}

/** One emoji's reactions to a message, as one reader sees them. */
export interface Reaction {
  emoji: string;
  /** Everyone who reacted with it. */
  count: number;
  /** The first 20 who reacted, oldest first. */
  users: UserRef[];
  /** Whether the reader is among them. */
  me: boolean;
}

export interface AuthResult {
  token: string;
  user: PublicUser;
}

export const toPublicUser = (u: UserRecord): PublicUser => ({
  id: u.id,
  username: u.username,
  createdAt: u.createdAt.toISOString(),
});

export const toChatMessage = (m: MessageRecord): ChatMessage => ({
  id: m.id,
  text: m.text,
  createdAt: m.createdAt.toISOString(),
  author: { id: m.author.id, username: m.author.username },
  clientMessageId: m.clientMessageId,
});
