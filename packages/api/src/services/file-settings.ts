/** Issue 24's limits (MAX_FILE_BYTES, FILE_QUOTA_BYTES, UPLOADS_PER_MINUTE; docs/decisions/137). */
export interface FileSettings {
  maxFileBytes: number;
  /** All of one user's attachments together, sent or not, uploads in progress at their declared size. */
  quotaBytes: number;
  uploadsPerMinute: number;
  /** An upload not sent within this is swept, row and bytes. */
  unsentTtlSeconds: number;
}

export const DEFAULT_FILE_SETTINGS: FileSettings = {
  maxFileBytes: 25 * 1024 * 1024,
  quotaBytes: 1024 * 1024 * 1024,
  uploadsPerMinute: 20,
  unsentTtlSeconds: 24 * 3600,
};

/** A size as people read it: KB under a megabyte, MB with one decimal under a gigabyte, then GB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  return `${Math.round((bytes / (1024 * 1024 * 1024)) * 10) / 10} GB`;
}
