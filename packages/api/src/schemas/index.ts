// Browser-safe entry: the web forms validate with exactly these schemas.
export * from './auth.schema';
export * from './user.schema';
export * from './chat.schema';
export * from './ids';
export * from './room.schema';
export * from './admin.schema';
export * from './file.schema';
export { charCount, normalizeText, isBlank } from './text';
export { confineBidiControls } from './bidi';
export { quoteExcerpt, QUOTE_EXCERPT_MAX } from './quote';
export { groupName } from './room-name';
export { CLOSE_CODES, DOMAIN_ERROR_CODES } from '../protocol';
export { MAX_BATCH_CALLS } from '../protocol';
export * from './notification.schema';
export * from './thread.schema';
export * from './profile.schema';
export * from './pin.schema';
