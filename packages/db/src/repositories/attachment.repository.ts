import { EntityRepository } from '@mikro-orm/postgresql';
import type { Attachment } from '../entities/attachment.entity';
import type { StoredAttachmentRecord } from '../records';
import { type Exec, execOn } from './locked';
import { memberNow } from './reader-access';
import { EVERYONE_ROOM_ID } from './room.repository';

interface AttachmentRow {
  id: string;
  uploader_id: string;
  room_id: string | null;
  message_id: string | null;
  status: string;
  name: string;
  type: string | null;
  size: string | number;
  kind: string | null;
  width: number | null;
  height: number | null;
  animated: boolean | null;
  thumbnail: StoredAttachmentRecord['thumbnail'];
}

const COLUMNS = `a.id, a.uploader_id, a.room_id, a.message_id::text as message_id, a.status, a.name, a.type, a.size, a.kind, a.width, a.height, a.animated, a.thumbnail`;

const toStored = (r: AttachmentRow): StoredAttachmentRecord => ({
  id: r.id,
  uploaderId: r.uploader_id,
  roomId: r.room_id,
  messageId: r.message_id,
  status: r.status === 'ready' ? 'ready' : 'uploading',
  name: r.name,
  type: r.type,
  size: Number(r.size),
  kind: r.kind === 'image' ? 'image' : r.kind === 'file' ? 'file' : null,
  width: r.width,
  height: r.height,
  animated: r.animated,
  thumbnail: r.thumbnail,
});

export type ReserveResult = { refused: false } | { refused: true; reason: 'not-member' | 'muted' | 'quota'; usedBytes: number };

export type ProcessedAttachment =
  | { kind: 'image'; type: string; size: number; width: number; height: number; animated: boolean; thumbnail: { key: string; width: number; height: number; type: string } }
  | { kind: 'file'; type: string; size: number };

export class AttachmentRepository extends EntityRepository<Attachment> {
  private get exec(): Exec {
    return execOn(this.getEntityManager());
  }

  /**
   * Records an upload about to start, its declared size taken from the uploader's quota at once, if
   * they may send in the room (a member, not muted) and the quota holds it. The uploader's row is
   * locked meanwhile, so concurrent uploads cannot together overrun the quota.
   */
  async reserve(input: { id: string; uploaderId: string; roomId: string | null; name: string; size: number; quotaBytes: number }): Promise<ReserveResult> {
    return this.getEntityManager()
      .getKnex()
      .transaction(async (trx) => {
        const exec: Exec = async <R>(sql: string, params: unknown[] = []) => (await trx.raw(sql, params as never[])).rows as R;
        const users = await exec<{ muted: boolean }[]>('select muted_until > clock_timestamp() as muted from users where id = ? for update', [input.uploaderId]);
        const used = await this.usedBytesOn(exec, input.uploaderId);
        if (!users[0]) return { refused: true, reason: 'not-member', usedBytes: used } as const;
        // No room: an avatar upload (docs/decisions/143-avatars.md), which only setAvatar can take and no message can carry.
        if (input.roomId !== null && input.roomId !== EVERYONE_ROOM_ID) {
          const member = await exec<unknown[]>('select 1 from room_members where room_id = ? and user_id = ? and left_event_id is null', [input.roomId, input.uploaderId]);
          if (member.length === 0) return { refused: true, reason: 'not-member', usedBytes: used } as const;
        }
        if (input.roomId !== null && users[0].muted === true) return { refused: true, reason: 'muted', usedBytes: used } as const;
        if (used + input.size > input.quotaBytes) return { refused: true, reason: 'quota', usedBytes: used } as const;
        await exec(`insert into attachments (id, uploader_id, room_id, status, name, size, created_at) values (?, ?, ?, 'uploading', ?, ?, clock_timestamp())`, [
          input.id,
          input.uploaderId,
          input.roomId,
          input.name,
          input.size,
        ]);
        return { refused: false } as const;
      });
  }

  private async usedBytesOn(exec: Exec, userId: string): Promise<number> {
    const rows = await exec<{ used: string }[]>('select coalesce(sum(size), 0)::text as used from attachments where uploader_id = ?', [userId]);
    return Number(rows[0]?.used ?? 0);
  }

  /** Bytes the user's attachments hold or have reserved (uploads in progress count at their declared size). */
  usedBytes(userId: string): Promise<number> {
    return this.usedBytesOn(this.exec, userId);
  }

  /** The upload `id` if `uploaderId` made it and it is not sent yet (what the upload endpoints act on). */
  async findOwnUnsent(id: string, uploaderId: string): Promise<StoredAttachmentRecord | null> {
    const rows = await this.exec<AttachmentRow[]>(`select ${COLUMNS} from attachments a where a.id = ? and a.uploader_id = ? and a.message_id is null`, [id, uploaderId]);
    return rows[0] ? toStored(rows[0]) : null;
  }

  /** Marks an upload ready with what the server found in its bytes; null if it is gone or no longer uploading. */
  async complete(id: string, processed: ProcessedAttachment): Promise<StoredAttachmentRecord | null> {
    const image = processed.kind === 'image' ? processed : null;
    const rows = await this.exec<AttachmentRow[]>(
      `update attachments a set status = 'ready', type = ?, size = ?, kind = ?, width = ?, height = ?, animated = ?, thumbnail = ?::jsonb
        where a.id = ? and a.status = 'uploading' returning ${COLUMNS}`,
      [processed.type, processed.size, processed.kind, image?.width ?? null, image?.height ?? null, image?.animated ?? null, image ? JSON.stringify(image.thumbnail) : null, id],
    );
    return rows[0] ? toStored(rows[0]) : null;
  }

  /** Deletes an unsent upload (refused, cancelled): its bytes are queued for erasure by the trigger. */
  async removeUnsent(id: string): Promise<boolean> {
    const rows = await this.exec<unknown[]>('delete from attachments where id = ? and message_id is null returning id', [id]);
    return rows.length > 0;
  }

  /** Deletes every upload of `uploaderId` not sent yet (a ban's purge). */
  async removeUnsentOf(uploaderId: string): Promise<void> {
    await this.exec('delete from attachments where uploader_id = ? and message_id is null', [uploaderId]);
  }

  /**
   * The attachment if `readerId` may read it now: a sent one while they are a member of its room
   * (its message not deleted), or their own upload not sent yet. Null otherwise, whatever the reason.
   */
  async findReadable(id: string, readerId: string): Promise<StoredAttachmentRecord | null> {
    const rows = await this.exec<AttachmentRow[]>(
      `select ${COLUMNS} from attachments a left join messages m on m.id = a.message_id
        where a.id = ? and a.status in ('ready', 'preview') and a.type is not null
          and ((a.message_id is null and a.uploader_id = ?)
            or (a.message_id is not null and m.deleted_at is null and (a.room_id = '${EVERYONE_ROOM_ID}' or ${memberNow('a.room_id')})))`,
      [id, readerId, readerId],
    );
    return rows[0] ? toStored(rows[0]) : null;
  }

  /**
   * Deletes uploads never sent within `olderThanSeconds` (finished or not), and preview images a
   * crash left half-made; the trigger queues their bytes.
   */
  async sweepUnsent(olderThanSeconds: number, limit: number): Promise<number> {
    const rows = await this.exec<unknown[]>(
      `delete from attachments where id in (
         (select id from attachments where message_id is null and created_at < clock_timestamp() - make_interval(secs => ?) order by created_at limit ?)
         union all
         (select id from attachments where status = 'preview' and type is null and created_at < clock_timestamp() - make_interval(secs => ?) limit ?))
       returning id`,
      [olderThanSeconds, limit, olderThanSeconds, limit],
    );
    return rows.length;
  }

  /**
   * The row a link preview's image is stored under before its bytes are written (decision 141): it
   * belongs to the message (author, room) from the start, so deleting the message erases it even
   * mid-way, and the sweep erases one a crash left unfinished. Its `size` is reserved from the
   * author's quota as an upload's is (the author's row locked), so posting one image's link again
   * and again cannot fill the disk. False if the message is gone or deleted, or the quota is full.
   */
  async beginPreviewImage(input: { id: string; messageId: string; size: number; quotaBytes: number }): Promise<boolean> {
    return this.getEntityManager()
      .getKnex()
      .transaction(async (trx) => {
        const exec: Exec = async <R>(sql: string, params: unknown[] = []) => (await trx.raw(sql, params as never[])).rows as R;
        const authors = await exec<{ id: string }[]>(
          'select u.id from users u join messages m on m.author_id = u.id where m.id = ? and m.deleted_at is null for update of u',
          [input.messageId],
        );
        const author = authors[0];
        if (!author || (await this.usedBytesOn(exec, author.id)) + input.size > input.quotaBytes) return false;
        await exec(
          `insert into attachments (id, uploader_id, room_id, message_id, status, name, size, created_at)
            select ?, m.author_id, m.room_id, m.id, 'preview', 'preview', ?, clock_timestamp() from messages m where m.id = ?`,
          [input.id, input.size, input.messageId],
        );
        return true;
      });
  }

  /** A preview image not used after all (the card was not stored): the row goes, the trigger queues its bytes. */
  async discardPreviewImage(id: string): Promise<void> {
    await this.exec(`delete from attachments where id = ? and status = 'preview'`, [id]);
  }

  /** Attachments whose bytes are still to be erased, oldest first. */
  async pendingErasures(limit: number): Promise<string[]> {
    const rows = await this.exec<{ id: string }[]>('select id from file_erasures order by created_at, id limit ?', [limit]);
    return rows.map((r) => r.id);
  }

  /** The storage confirmed the erase. */
  async erased(id: string): Promise<void> {
    await this.exec('delete from file_erasures where id = ?', [id]);
  }
}
