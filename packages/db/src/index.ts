export { initORM, migrate, repositoriesFor, isDatabaseReachable, type Orm, type OrmOptions, type Repositories } from './orm';
export { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded';
export type { UserRecord, UserCredentials, MessageRecord, SessionRecord } from './records';
export { escapeLikePattern } from './repositories/user.repository';
export { usernameSkeleton } from './username-skeleton';
