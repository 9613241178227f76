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
