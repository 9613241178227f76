import { createHmac } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { hmacKey } from './hmac-key';

/**
 * Tickets (docs/decisions/137-files-served-and-read.md): a short-lived signed URL parameter that lets a
 * browser's `<img>` or download link read one attachment as one user. Signed with a key derived from the
 * JWT secret, with its own audience and type, so an access token is never a ticket nor a ticket a token.
 */
export interface FileTicketClaims {
  userId: string;
  attachmentId: string;
  /** Seconds since the epoch. */
  expiresAt: number;
}

/** The ticket scope that reads every avatar (docs/decisions/143-avatars.md): never an attachment id, which is 32 hex digits. */
export const AVATARS_SCOPE = 'avatars';

export interface FileTicketService {
  /** `attachmentId` AVATARS_SCOPE: a ticket for every user's current avatar. */
  sign(userId: string, attachmentId: string): Promise<{ ticket: string; expiresAt: Date }>;
  /** Null for anything that is not a valid, unexpired ticket of ours. */
  verify(ticket: string): Promise<FileTicketClaims | null>;
}

/** Long enough for a page of images to load, short enough that a leaked URL soon stops working. */
export const FILE_TICKET_TTL_SECONDS = 5 * 60;
const MAX_TICKET_LENGTH = 1024;
const AUDIENCE = 'chat-file';
const TYPE = 'chat-file-ticket';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ATTACHMENT_ID = /^[0-9a-f]{32}$/;

/** Avatar tickets live longer: an avatar URL changes with its ticket, and every change reloads every face on screen. */
export const AVATAR_TICKET_TTL_SECONDS = 60 * 60;

export function createFileTicketService(secret: string, ttlSeconds = FILE_TICKET_TTL_SECONDS, purpose: 'files' | 'avatars' = 'files'): FileTicketService {
  // A key of its own: a bug that confused the two kinds of JWT still could not verify one as the other.
  // Avatar tickets have another still, so a long-lived avatar ticket can never be taken for a file's.
  const key = hmacKey(createHmac('sha256', secret).update(purpose === 'files' ? 'chat file tickets v1' : 'chat avatar tickets v1').digest());
  return {
    async sign(userId, attachmentId) {
      const issuedAt = Math.floor(Date.now() / 1000);
      const expiresAt = issuedAt + ttlSeconds;
      const ticket = await new SignJWT({ att: attachmentId })
        .setProtectedHeader({ alg: 'HS256', typ: TYPE })
        .setSubject(userId)
        .setAudience(AUDIENCE)
        .setIssuedAt(issuedAt)
        .setExpirationTime(expiresAt)
        .sign(await key);
      return { ticket, expiresAt: new Date(expiresAt * 1000) };
    },
    async verify(ticket) {
      if (ticket.length > MAX_TICKET_LENGTH) return null;
      try {
        const { payload } = await jwtVerify(ticket, await key, { algorithms: ['HS256'], audience: AUDIENCE, typ: TYPE, requiredClaims: ['exp', 'iat', 'sub'] });
        const { sub, att, exp, iat } = payload;
        if (typeof sub !== 'string' || !UUID.test(sub) || typeof att !== 'string' || !(purpose === 'files' ? ATTACHMENT_ID.test(att) : att === AVATARS_SCOPE) || typeof exp !== 'number') return null;
        // We never sign a longer one.
        if (typeof iat !== 'number' || exp - iat > ttlSeconds) return null;
        return { userId: sub, attachmentId: att, expiresAt: exp };
      } catch {
        return null;
      }
    },
  };
}
