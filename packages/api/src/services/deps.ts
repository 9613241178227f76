import { type Orm, type Repositories, repositoriesFor, shareLockHolds } from '@chat/db';
import type { Cluster } from 'ioredis';
import type Redis from 'ioredis';
import { AVATAR_TICKET_TTL_SECONDS, createFileTicketService, type FileTicketService } from '../auth/file-ticket';
import { createPasswordHasher, DEFAULT_HASH_QUEUE, type PasswordHasher } from '../auth/password';
import { createTokenService, type TokenConfig, type TokenService } from '../auth/token';
import { createInProcessBus, createRedisBus, type EventBus, eventsChannel } from '../bus/event-bus';
import { createDispatcher, type Dispatcher } from '../events/dispatcher';
import { createShardedRedisBus } from '../bus/sharded-bus';
import { createEventFeed, type EventFeed } from '../events/event-feed';
import { type EventRetention, type EventRetentionOptions, startEventRetention } from '../events/event-retention';
import { createScopedEventFeed } from '../events/scoped-event-feed';
import { createPushLanePort, type PushLanePort } from '../events/push-lane-contract';
import { createMemoryPresence, type Presence } from '../presence/presence';
import { createFocusTracker, type FocusTracker } from '../push/focus';
import { createWebPush, type WebPush, type WebPushOptions } from '../push/web-push';
import { createLinkPreviewer, type LinkPreviewer, type LinkPreviewOptions } from '../previews/link-previewer';
import type { PreviewImageStore } from '../previews/preview-image-store';
import { DEFAULT_PRESENCE_ROOM_MEMBER_LIMIT } from '../presence/presence-scope';
import { createRedisPresence } from '../presence/redis-presence';
import { createTypingTracker, type TypingTracker } from '../presence/typing';
import { createLiveSessions, type LiveSessions } from '../security/live-sessions';
import { createRateLimits, DEFAULT_RATE_LIMITS, type RateLimitConfig, type RateLimits } from '../security/rate-limits';
import { createSessionView, DEFAULT_SESSION_TIMING, type SessionTiming, type SessionView } from '../security/session-view';
import type { WorkQueueOptions } from '../security/work-queue';
import type { RegistrationMode } from '../schemas/admin.schema';
import { type Appends, createAppendBatcher, createSingleAppends } from '../messages/append-batcher';
import { createFileErasure, type FileBytes, type FileErasure } from './file-erasure';
import { DEFAULT_FILE_SETTINGS, type FileSettings } from './file-settings';

export const DEFAULT_SESSION_LIFETIME_SECONDS = 30 * 24 * 3600;
export const DEFAULT_EVENT_REPLAY_LIMIT = 1000;

/** What lives for the whole process and is shared by every call. */
export interface ApiDeps {
  orm: Orm;
  bus: EventBus;
  /** Committed events in id order, gap-free: the pipeline's per-instance stage (events/). */
  events: EventFeed;
  /** roomId → this instance's streams (every subscription: docs/decisions/132); also scopes their presence (docs/decisions/121). */
  dispatcher: Dispatcher;
  /** How far behind (in events) a resume may be before it gets `resync` instead of a replay. */
  eventReplayLimit: number;
  /** The event log's retention job on its timer (docs/decisions/168); null: events are kept forever. */
  eventRetention: EventRetention | null;
  /** Where plain sends are appended: gathered into one statement per lock hold unless turned off (docs/decisions/162). */
  appends: Appends;
  /** The push lane's port (docs/decisions/126): the WebSocket transport attaches a lane per connection; none attached, iterators only. */
  pushLane: PushLanePort;
  presence: Presence;
  typing: TypingTracker;
  tokens: TokenService;
  passwords: PasswordHasher;
  limits: RateLimits;
  /** Whether a token's session still accepts it; kept current from the bus and the database, never Redis reads. */
  sessionView: SessionView;
  /** This instance's sockets by session, closed when their session ends. */
  sessions: LiveSessions;
  /** A session's absolute lifetime from its password login (refreshing never extends it). */
  sessionLifetimeSeconds: number;
  /** How long after sending a message its author may edit it; null: no limit (MESSAGE_EDIT_WINDOW_MINUTES). */
  messageEditWindowMinutes: number | null;
  /** REGISTRATION_MODE: when set it wins over the stored setting (docs/decisions/111-registration-modes.md). */
  registrationOverride: RegistrationMode | null;
  /** Size limit, quota and upload rate of files (issue 24). */
  files: FileSettings;
  /** Signs and checks the short-lived URLs browsers read files with. */
  fileTickets: FileTicketService;
  /** Signs and checks the hour-long tickets that read every avatar (docs/decisions/143-avatars.md). */
  avatarTickets: FileTicketService;
  /** Erases deleted attachments' bytes after their delete commits. */
  fileErasure: FileErasure;
  /** Makes link preview cards after a send or edit (docs/decisions/138); null when LINK_PREVIEWS=off. */
  linkPreviews: LinkPreviewer | null;
  /** Stores preview images as files of their message (decision 141); null: cards keep the page's URL only. */
  previewImages: PreviewImageStore | null;
  /** Web Push (docs/decisions/148); null when no VAPID keys are configured. */
  webPush: WebPush | null;
  /** Which room each device of each user looks at (docs/decisions/150), kept from the bus. */
  focus: FocusTracker;
  /** Reports a failure of work that runs after its call answered (a preview's write). */
  onBackgroundError: (error: unknown) => void;
  /** Resolves once the feed is ready; stops everything the deps started. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/** What one procedure call sees: the shared parts plus repositories on its own EntityManager fork. */
export interface CallDeps extends ApiDeps {
  repos: Repositories;
}

export interface ApiDepsOptions {
  orm: Orm;
  token: TokenConfig;
  /** Shares live events, presence and rate limits across instances when set. */
  redis?: Redis | null;
  /**
   * Carries live events over Redis Cluster's sharded pub/sub instead, each instance hearing only its
   * readers' rooms and users (docs/decisions/158); keys (presence, limits) stay on `redis`.
   */
  redisCluster?: Cluster | null;
  /** Namespaces Redis keys and the pub/sub channel (several deployments, or tests, on one Redis). */
  redisPrefix?: string;
  rateLimits?: RateLimitConfig;
  hashQueue?: WorkQueueOptions;
  presenceTtlMs?: number;
  /** PRESENCE_ROOM_MEMBER_LIMIT: chat.onEvent shows presence of members of rooms this size or smaller (default 100). */
  presenceRoomMemberLimit?: number;
  /** Default 30 days. */
  sessionLifetimeSeconds?: number;
  /** Rotation grace, sync period and cache lifetime of the session view (tests shorten them). */
  sessionTiming?: Partial<SessionTiming>;
  /** Default 1000 (docs/decisions/071-resync.md). */
  eventReplayLimit?: number;
  /** EVENT_RETENTION_DAYS: delete older events on a timer (docs/decisions/168); absent or null, keep every event. */
  eventRetention?: Omit<EventRetentionOptions, 'orm'> | null;
  /**
   * APPEND_GROUP_COMMIT: plain sends that arrive while one is appended go together in the next statement (default on;
   * decision 162), and every other locked write arriving while one is in flight shares the next transaction (decision 175).
   */
  groupCommit?: boolean;
  /** Default: no limit on when a message may be edited. */
  messageEditWindowMinutes?: number | null;
  /** Fixes the registration mode, whatever admins set (REGISTRATION_MODE). */
  registrationMode?: RegistrationMode | null;
  /** File limits (defaults: 25 MB, 1 GB, 20 a minute), and the storage deleted files are erased from (none: they stay queued). */
  files?: Partial<FileSettings> & { bytes?: FileBytes | null; previewImages?: PreviewImageStore | null };
  /** How long a file.ticket URL works (default 5 minutes; tests shorten it). */
  fileTicketTtlSeconds?: number;
  /** Link previews: off unless given (the server turns them on unless LINK_PREVIEWS=off); tests pass their own network. */
  linkPreviews?: LinkPreviewOptions | false;
  /** Web Push; off when absent. */
  webPush?: WebPushOptions | null;
  onBackgroundError?: (error: unknown) => void;
}

export function createApiDeps(opts: ApiDepsOptions): ApiDeps {
  const redis = opts.redis ?? null;
  const prefix = opts.redisPrefix ?? 'chat:';
  const onError = opts.onBackgroundError ?? (() => {});
  const bus: EventBus = opts.redisCluster
    ? createShardedRedisBus({ cluster: opts.redisCluster, prefix, onError })
    : redis
      ? createRedisBus({ redis, channel: eventsChannel(prefix), onError })
      : createInProcessBus();
  const events = bus.scope ? createScopedEventFeed({ orm: opts.orm, bus, scope: bus.scope, onError }) : createEventFeed({ orm: opts.orm, bus, onError });
  const presence = redis
    ? createRedisPresence({ redis, bus, prefix, onError, ...(opts.presenceTtlMs ? { ttlMs: opts.presenceTtlMs } : {}) })
    : createMemoryPresence(bus);
  const dispatcher = createDispatcher(events, {
    presence: presence.view,
    loadRoomMembers: (roomIds, smallLimit) => repositoriesFor(opts.orm.em.fork()).rooms.membersAt(roomIds, smallLimit),
    presenceRoomMemberLimit: opts.presenceRoomMemberLimit ?? DEFAULT_PRESENCE_ROOM_MEMBER_LIMIT,
    onError,
  });
  const typing = createTypingTracker(bus);
  // One frozen object per change, shared by every stream: its JSON and frames are built once (push lane).
  const stopTyping = typing.subscribe(({ roomId, user, typing: on }) => dispatcher.typing(Object.freeze({ type: 'typing', roomId, user, typing: on })));
  const stopPresence = presence.view.subscribe(({ user, online }) => dispatcher.presence(Object.freeze({ type: 'presence.changed', user, online })));
  const fileErasure = createFileErasure({ orm: opts.orm, bytes: opts.files?.bytes ?? null, onError });
  // From any instance (the bus): the user's sockets may be on another one than the owner's call.
  const stopRoles = bus.subscribe((event) => {
    if (event.type === 'role-changed') dispatcher.own(event.userId, Object.freeze({ type: 'role.changed', role: event.role }));
  });
  const focus = createFocusTracker();
  const stopOwn = bus.subscribe((event) => {
    if (event.type === 'notifications-changed') dispatcher.own(event.userId, Object.freeze({ type: 'notifications.changed', settings: event.settings }));
    else if (event.type === 'focus') {
      focus.report(event);
      dispatcher.own(event.userId, Object.freeze({ type: 'focus.changed', device: event.sessionId, focusedRoomId: event.roomId }));
    } else if (event.type === 'sessions-revoked') focus.forgetSessions(event.sessionIds);
  });
  const webPush = opts.webPush
    ? createWebPush(opts.webPush, { onGone: (id) => repositoriesFor(opts.orm.em.fork()).pushSubscriptions.remove(id), onError })
    : null;
  const sessions = createLiveSessions();
  const linkPreviews = opts.linkPreviews ? createLinkPreviewer(opts.linkPreviews) : null;
  const eventRetention = opts.eventRetention ? startEventRetention({ onError, ...opts.eventRetention, orm: opts.orm }) : null;
  // Every other locked write group-commits too (decision 175), under the same setting.
  shareLockHolds(opts.orm, opts.groupCommit !== false);
  const sessionView = createSessionView({ orm: opts.orm, bus, live: sessions, timing: { ...DEFAULT_SESSION_TIMING, ...opts.sessionTiming }, onError });
  return {
    orm: opts.orm,
    bus,
    events,
    dispatcher,
    eventReplayLimit: opts.eventReplayLimit ?? DEFAULT_EVENT_REPLAY_LIMIT,
    eventRetention,
    appends: opts.groupCommit === false ? createSingleAppends(opts.orm) : createAppendBatcher({ orm: opts.orm }),
    pushLane: createPushLanePort(),
    presence,
    typing,
    tokens: createTokenService(opts.token),
    passwords: createPasswordHasher(opts.hashQueue ?? DEFAULT_HASH_QUEUE),
    limits: createRateLimits(opts.rateLimits ?? DEFAULT_RATE_LIMITS, redis, prefix),
    sessionView,
    sessions,
    sessionLifetimeSeconds: opts.sessionLifetimeSeconds ?? DEFAULT_SESSION_LIFETIME_SECONDS,
    linkPreviews,
    previewImages: opts.files?.previewImages ?? null,
    webPush,
    focus,
    onBackgroundError: onError,
    messageEditWindowMinutes: opts.messageEditWindowMinutes ?? null,
    registrationOverride: opts.registrationMode ?? null,
    files: { ...DEFAULT_FILE_SETTINGS, ...withoutBytes(opts.files) },
    fileTickets: createFileTicketService(opts.token.secret, opts.fileTicketTtlSeconds),
    avatarTickets: createFileTicketService(opts.token.secret, AVATAR_TICKET_TTL_SECONDS, 'avatars'),
    fileErasure,
    ready: events.ready,
    async close() {
      // First: a preview still writing needs the database and the bus.
      eventRetention?.close();
      await linkPreviews?.close();
      await webPush?.close();
      sessionView.close();
      await fileErasure.settled();
      stopTyping();
      stopPresence();
      stopRoles();
      stopOwn();
      typing.close();
      dispatcher.close();
      events.close();
      await presence.close();
      await bus.close();
    },
  };
}

/** The settings part of `files` (its `bytes` is the erasure's, its `previewImages` the previews'). */
function withoutBytes(files: ApiDepsOptions['files']): Partial<FileSettings> {
  if (!files) return {};
  const { bytes: _bytes, previewImages: _previewImages, ...settings } = files;
  return settings;
}
