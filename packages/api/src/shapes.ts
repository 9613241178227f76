import type { MessageRecord, UserRecord } from '@chat/db';

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
