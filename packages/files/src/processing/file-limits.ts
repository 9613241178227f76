import type { FileLimits } from './processed-file';

/**
 * Suggested limits: 50 megapixels covers phone cameras (a decoded RGBA image of that size is 200 MB, the most one
 * decode may take); 16,000 pixels on a side stays under WebP's 16,383; thumbnails fit a 480-pixel box.
 */
export const DEFAULT_FILE_LIMITS: FileLimits = { maxPixels: 50_000_000, maxDimension: 16_000, thumbnailSize: 480 };
