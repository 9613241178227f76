import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { AttachmentRepository } from '../repositories/attachment.repository';
import { Message } from './message.entity';
import { Room } from './room.entity';
import { User } from './user.entity';

/**
 * A file uploaded into a room (issue 24, docs/decisions/137-files-served-and-read.md). The row is made when
 * the upload starts (its declared size counts against the uploader's quota from then), turns `ready`
 * when the server has checked and re-encoded the bytes, and is linked to a message when sent.
 * Deleting a row queues its bytes for erasure (a trigger writes `file_erasures`), whatever deleted it.
 */
export const Attachment = defineEntity({
  name: 'Attachment',
  tableName: 'attachments',
  repository: () => AttachmentRepository,
  properties: (p) => ({
    /** 128 random bits in hex: the storage key, and unguessable. */
    id: p.string().length(32).primary(),
    uploader: () => p.manyToOne(User).deleteRule('cascade').index('attachments_uploader_id_index'),
    /** Null for an avatar upload (docs/decisions/143-avatars.md), which no room may read. */
    room: () => p.manyToOne(Room).nullable().deleteRule('cascade'),
    /** Null until sent; a message deleted for good takes its attachments with it. */
    message: () => p.manyToOne(Message).nullable().deleteRule('cascade').index('attachments_message_id_index'),
    /** Place among the message's attachments. */
    position: p.smallint().nullable(),
    /** 'uploading' | 'ready'; 'preview' for a link preview's image, which is no attachment of the message (decision 141). */
    status: p.string().length(16),
    /** The name the uploader gave (shown and used as the download's file name only). */
    name: p.string().length(255),
    /** The type the server found by content; null while uploading. */
    type: p.string().length(127).nullable(),
    /** Bytes: as declared while uploading (reserved from the quota), as stored once ready. */
    size: p.bigint('number'),
    /** 'image' | 'file'; null while uploading. */
    kind: p.string().length(8).nullable(),
    width: p.integer().nullable(),
    height: p.integer().nullable(),
    animated: p.boolean().nullable(),
    /** `{ key, width, height, type }` of an image's thumbnail. */
    thumbnail: p.json<{ key: string; width: number; height: number; type: string }>().nullable(),
    createdAt: p.datetime(),
  }),
  indexes: [{ name: 'attachments_unsent_index', expression: 'create index "attachments_unsent_index" on "attachments" ("created_at") where "message_id" is null' }],
});

export type Attachment = InferEntity<typeof Attachment>;
