import { Readable } from 'node:stream';
import type { PreviewImageStore } from '@chat/api';
import { type FileLimits, type FileStorage, processUpload } from '@chat/files';

/**
 * Link preview images through the uploads' own pipeline (docs/decisions/141-preview-images-stored.md):
 * written to the attachments' storage, then sniffed, pixel-limited and re-encoded without metadata by
 * processUpload, so a page's image reaches readers only as bytes this server wrote, from its own origin.
 */
export function createPreviewImageStore(storage: FileStorage, limits: FileLimits): PreviewImageStore {
  return {
    async store(key, bytes) {
      await storage.write(key, Readable.from([bytes]));
      let processed;
      try {
        processed = await processUpload(storage, key, limits);
      } catch (error) {
        await storage.remove(key).catch(() => {});
        throw error;
      }
      if (processed.ok && processed.kind === 'image') return processed;
      // Not an image after all (or one past the limits): nothing of it stays.
      await storage.remove(key);
      return null;
    },
  };
}
