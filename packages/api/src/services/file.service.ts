import type { ProcessedAttachment, StoredAttachmentRecord } from '@chat/db';
import { DomainError, FileTooLargeError } from '../errors';
import type { UserRef } from '../shapes';
import type { CallDeps } from './deps';
import { mutedRefusal } from './mute';
import { roomNotFound } from './room-access';
import { formatBytes } from './file-settings';

/** The one answer for a file the caller may not read: the same whether it is missing, unsent by another, or in a room they are not in. */
export const fileNotFound = () => new DomainError('NOT_FOUND', 'File not found');

/** Where a ticket's URL points (a path on this server: resolve it against the server's URL). */
export const filePath = (attachmentId: string, ticket: string, part: '' | '/thumbnail' = '') => `/files/${attachmentId}${part}?ticket=${encodeURIComponent(ticket)}`;

/**
 * The rules of files (docs/decisions/137-files-served-and-read.md): who may upload where and how much,
 * who may read what, and what happens to an upload's row as it is checked. The HTTP endpoints
 * (apps/server/src/transport/files) call these; the bytes themselves are the transport's.
 */
export function createFileService(call: CallDeps) {
  const settings = call.files;
  const repos = () => call.repos;
  return {
    async limits(user: UserRef): Promise<{ maxFileBytes: number; quotaBytes: number; usedBytes: number; uploadsPerMinute: number }> {
      return {
        maxFileBytes: settings.maxFileBytes,
        quotaBytes: settings.quotaBytes,
        usedBytes: await repos().attachments.usedBytes(user.id),
        uploadsPerMinute: settings.uploadsPerMinute,
      };
    },

    /** A signed URL for `<img>` and download links, if the caller may read the file now. */
    async ticket(user: UserRef, { attachmentId }: { attachmentId: string }): Promise<{ url: string; expiresAt: string; thumbnailUrl?: string }> {
      const file = await repos().attachments.findReadable(attachmentId, user.id);
      if (!file) throw fileNotFound();
      const { ticket, expiresAt } = await call.fileTickets.sign(user.id, attachmentId);
      return {
        url: filePath(attachmentId, ticket),
        expiresAt: expiresAt.toISOString(),
        ...(file.thumbnail ? { thumbnailUrl: filePath(attachmentId, ticket, '/thumbnail') } : {}),
      };
    },

    /** The first gate of an upload, before anything is stored: within the size limit, then charged to the upload rate. */
    async admitUpload(user: UserRef, size: number): Promise<void> {
      if (size > settings.maxFileBytes) throw new FileTooLargeError(`Files can be at most ${formatBytes(settings.maxFileBytes)}; this one is ${formatBytes(size)}`);
      await call.limits.consumeUpload(user.id);
    },

    /**
     * An upload about to start (after admitUpload): by a member who may send in the room, within their
     * quota, its declared size reserved until the file is sent or swept.
     */
    /** `roomId` null: an avatar upload (docs/decisions/143-avatars.md), which only user.setAvatar can take. */
    async beginUpload(user: UserRef, input: { id: string; roomId: string | null; name: string; size: number }): Promise<void> {
      const reserved = await repos().attachments.reserve({ ...input, uploaderId: user.id, quotaBytes: settings.quotaBytes });
      if (!reserved.refused) return;
      if (reserved.reason === 'quota') {
        throw new FileTooLargeError(
          `Your files use ${formatBytes(reserved.usedBytes)} of your ${formatBytes(settings.quotaBytes)}; this one (${formatBytes(input.size)}) does not fit. Delete some messages with files, or wait for unsent uploads to expire`,
        );
      }
      if (reserved.reason === 'muted') {
        const until = (await repos().users.standingById(user.id))?.mutedUntil;
        throw until ? mutedRefusal(until) : new DomainError('FORBIDDEN', 'You cannot send in this room now');
      }
      throw roomNotFound();
    },

    /** The caller's own upload not sent yet (the upload endpoints act on nothing else). */
    ownUnsent(user: UserRef, id: string): Promise<StoredAttachmentRecord | null> {
      return repos().attachments.findOwnUnsent(id, user.id);
    },

    /** The server checked the bytes: the attachment is ready to send (null: it was cancelled or swept meanwhile). */
    finishUpload(id: string, processed: ProcessedAttachment): Promise<StoredAttachmentRecord | null> {
      return repos().attachments.complete(id, processed);
    },

    /** A refused or cancelled upload: its row goes now, its bytes right after. */
    async discardUpload(id: string): Promise<void> {
      await repos().attachments.removeUnsent(id);
      call.fileErasure.kick();
    },

    /** The attachment if `userId` may read it now, else null (the download answers 404 either way). */
    readable(userId: string, id: string): Promise<StoredAttachmentRecord | null> {
      return repos().attachments.findReadable(id, userId);
    },
  };
}
