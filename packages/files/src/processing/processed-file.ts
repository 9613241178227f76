/** What processUpload may spend on one image: pixels decoded (all frames together), the longest side, the thumbnail box. */
export interface FileLimits {
  maxPixels: number;
  maxDimension: number;
  thumbnailSize: number;
}

export type RefusalReason = 'truncated' | 'too-many-pixels' | 'unreadable-image' | 'empty';

export type ProcessedFile =
  | {
      ok: true;
      kind: 'image';
      type: string;
      size: number;
      width: number;
      height: number;
      animated: boolean;
      thumbnail: { key: string; width: number; height: number; type: string };
    }
  | { ok: true; kind: 'file'; type: string; size: number }
  | { ok: false; reason: RefusalReason; message: string };

export function refused(reason: RefusalReason, message: string): ProcessedFile {
  return { ok: false, reason, message };
}
