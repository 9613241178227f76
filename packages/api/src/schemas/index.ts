// Browser-safe entry: the web forms validate with exactly these schemas.
export * from './auth.schema';
export * from './user.schema';
export * from './chat.schema';
export { charCount } from './text';
