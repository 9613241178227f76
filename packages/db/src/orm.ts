import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { fileURLToPath } from 'node:url';
import { Attachment } from './entities/attachment.entity';
import { AuditEntry } from './entities/audit-entry.entity';
import { ChatEventRow } from './entities/event.entity';
import { EventHorizon } from './entities/event-horizon.entity';
import { FileErasure } from './entities/file-erasure.entity';
import { MessageMention } from './entities/message-mention.entity';
import { MessagePin } from './entities/message-pin.entity';
import { MessageReaction } from './entities/message-reaction.entity';
import { MessageReport } from './entities/message-report.entity';
import { Invite, InviteUse } from './entities/invite.entity';
import { Message } from './entities/message.entity';
import { RoomMember } from './entities/room-member.entity';
import { Room } from './entities/room.entity';
import { NotificationSchedule, RoomNotificationSetting } from './entities/notification-setting.entity';
import { PushSubscription } from './entities/push-subscription.entity';
import { ServerSetting } from './entities/server-setting.entity';
import { Session } from './entities/session.entity';
import { ThreadFollow } from './entities/thread-follow.entity';
import { User } from './entities/user.entity';
import { migrationsList } from './migrations';
import type { AttachmentRepository } from './repositories/attachment.repository';
import type { AuditRepository } from './repositories/audit.repository';
import type { EventRepository } from './repositories/event.repository';
import type { MessageReactionRepository } from './repositories/message-reaction.repository';
import type { MessageReportRepository } from './repositories/message-report.repository';
import type { InviteRepository } from './repositories/invite.repository';
import type { MessageRepository } from './repositories/message.repository';
import type { NotificationSettingRepository } from './repositories/notification-setting.repository';
import type { PushSubscriptionRepository } from './repositories/push-subscription.repository';
import type { RoomRepository } from './repositories/room.repository';
import type { SessionRepository } from './repositories/session.repository';
import type { SettingRepository } from './repositories/setting.repository';
import type { ThreadRepository } from './repositories/thread.repository';
import type { MessagePinRepository } from './repositories/message-pin.repository';
import type { UserRepository } from './repositories/user.repository';
import type { EntityManager } from '@mikro-orm/postgresql';

export interface OrmOptions {
  clientUrl: string;
  poolMax?: number;
  debug?: boolean;
  /**
   * Read and write migrations/.snapshot.json, the entities' schema a new migration is diffed against.
   * Only `pnpm db:migration:create` wants it: with it on, every `migrate()` that applied something
   * (each test's fresh database, a server's first start) rewrote the committed file from the database.
   */
  migrationSnapshot?: boolean;
}

export const ormConfig = (opts: OrmOptions): Options => ({
  clientUrl: opts.clientUrl,
  entities: [User, Message, Session, Room, RoomMember, ChatEventRow, EventHorizon, ServerSetting, Invite, InviteUse, AuditEntry, MessageReaction, MessageMention, MessageReport, Attachment, FileErasure, PushSubscription, RoomNotificationSetting, NotificationSchedule, ThreadFollow, MessagePin],
  extensions: [Migrator],
  debug: opts.debug ?? false,
  pool: { min: 0, max: opts.poolMax ?? 10 },
  // No JIT: over millions of rows the planner's cost passes jit_above_cost on reads that take
  // milliseconds, and compiling them took seconds (room.list: 2.5 s of 8; docs/decisions/163-years-of-data.md).
  driverOptions: { connection: { options: '-c jit=off' } },
  // Entities are defined with defineEntity; nothing needs reflection or folder scanning.
  discovery: { warnWhenNoEntities: true },
  forceUtcTimezone: true,
  migrations: {
    // Listed statically so a bundled build runs them without reading the folder.
    migrationsList,
    path: fileURLToPath(new URL('./migrations', import.meta.url)),
    pathTs: fileURLToPath(new URL('./migrations', import.meta.url)),
    emit: 'ts',
    snapshot: opts.migrationSnapshot ?? false,
    snapshotName: '.snapshot',
    transactional: true,
    allOrNothing: true,
    silent: true,
  },
});

export type Orm = MikroORM;

export async function initORM(opts: OrmOptions): Promise<Orm> {
  return MikroORM.init(ormConfig(opts));
}

/** Applies every committed migration that has not run yet. */
export async function migrate(orm: Orm): Promise<void> {
  await orm.getMigrator().up();
}

export interface Repositories {
  em: EntityManager;
  users: UserRepository;
  messages: MessageRepository;
  reactions: MessageReactionRepository;
  sessions: SessionRepository;
  rooms: RoomRepository;
  events: EventRepository;
  settings: SettingRepository;
  invites: InviteRepository;
  audit: AuditRepository;
  reports: MessageReportRepository;
  attachments: AttachmentRepository;
  pushSubscriptions: PushSubscriptionRepository;
  notificationSettings: NotificationSettingRepository;
  threads: ThreadRepository;
  pins: MessagePinRepository;
}

/**
 * Repositories bound to one EntityManager fork: one per procedure call. Each is made when first
 * used (a call needs one or two of the eleven, and making a repository is not free on the hot path).
 */
class ForkRepositories implements Repositories {
  constructor(readonly em: EntityManager) {}
  get users() {
    return this.em.getRepository(User) as unknown as UserRepository;
  }
  get messages() {
    return this.em.getRepository(Message) as unknown as MessageRepository;
  }
  get reactions() {
    return this.em.getRepository(MessageReaction) as unknown as MessageReactionRepository;
  }
  get sessions() {
    return this.em.getRepository(Session) as unknown as SessionRepository;
  }
  get rooms() {
    return this.em.getRepository(Room) as unknown as RoomRepository;
  }
  get events() {
    return this.em.getRepository(ChatEventRow) as unknown as EventRepository;
  }
  get settings() {
    return this.em.getRepository(ServerSetting) as unknown as SettingRepository;
  }
  get invites() {
    return this.em.getRepository(Invite) as unknown as InviteRepository;
  }
  get audit() {
    return this.em.getRepository(AuditEntry) as unknown as AuditRepository;
  }
  get reports() {
    return this.em.getRepository(MessageReport) as unknown as MessageReportRepository;
  }
  get attachments() {
    return this.em.getRepository(Attachment) as unknown as AttachmentRepository;
  }
  get pushSubscriptions() {
    return this.em.getRepository(PushSubscription) as unknown as PushSubscriptionRepository;
  }
  get notificationSettings() {
    return this.em.getRepository(RoomNotificationSetting) as unknown as NotificationSettingRepository;
  }
  get threads() {
    return this.em.getRepository(ThreadFollow) as unknown as ThreadRepository;
  }
  get pins() {
    return this.em.getRepository(MessagePin) as unknown as MessagePinRepository;
  }
}

export function repositoriesFor(em: EntityManager): Repositories {
  return new ForkRepositories(em);
}

export async function isDatabaseReachable(orm: Orm): Promise<boolean> {
  try {
    await orm.em.fork().execute('select 1');
    return true;
  } catch {
    return false;
  }
}
