// @chat/files: where uploaded bytes live (disk or S3), the tus store that writes them, and what we make of them.
export {
  FileNotFoundError,
  InvalidKeyError,
  thumbnailKey,
  type FileStorage,
  type StorageConfig,
} from './storage/file-storage';
export { createStorage } from './storage/create-storage';
export { processUpload } from './processing/process-upload';
export { makeAvatar, AVATAR_SIZE, AVATAR_SMALL_SIZE, AVATAR_TYPE } from './processing/make-avatar';
export { DEFAULT_FILE_LIMITS } from './processing/file-limits';
export type { FileLimits, ProcessedFile, RefusalReason } from './processing/processed-file';
export type { DataStore } from '@tus/utils';
