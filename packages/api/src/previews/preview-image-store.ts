import type { ProcessedAttachment } from '@chat/db';

/** A preview image as stored: re-encoded, with its thumbnail. */
export type StoredPreviewImage = Extract<ProcessedAttachment, { kind: 'image' }>;

/**
 * Where a link preview's image is kept (docs/decisions/141-preview-images-stored.md): the server wires
 * @chat/files here, so the image goes through the uploads' checks (sniffed, pixel-limited, re-encoded
 * without metadata, thumbnailed) and lives in the same storage as attachments, under the same key rules.
 */
export interface PreviewImageStore {
  /** Stores `bytes` as file `key`; null, with nothing left behind, unless they are an image within the limits. */
  store(key: string, bytes: Buffer): Promise<StoredPreviewImage | null>;
}
