import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import type { StoredEvent } from '../events/stored-event';
import type { Role } from '../schemas/admin.schema';
import type { NotificationSettings } from '../schemas/notification.schema';

/** Everything instances tell each other. PostgreSQL stays the source of truth for messages and events. */
export type LiveEvent =
  /** A committed durable event (message.created, room.joined…): the feed orders them by id. */
  | { type: 'event'; event: StoredEvent }
  | { type: 'presence'; user: { id: string; username: string }; online: boolean }
  /** Without roomId: #everyone. */
  | { type: 'typing'; user: { id: string; username: string }; typing: boolean; roomId?: string }
  /** Logout, log out everywhere, password change: these sessions are over (security/session-view.ts). */
  | { type: 'sessions-revoked'; sessionIds: string[] }
  /** A refresh replaced the session's token: sockets holding the old one move to the new (ms since the epoch). */
  | { type: 'session-rotated'; sessionId: string; tokenId: string; rotatedAt: number }
  /** An owner changed this user's role (committed): their chat.onEvent streams are told (role.changed). */
  | { type: 'role-changed'; userId: string; role: Role }
  /** A user changed their notification settings: their streams are told (notifications.changed). */
  | { type: 'notifications-changed'; userId: string; settings: NotificationSettings }
  /** A device reported the room its focused tab shows (push/focus.ts; docs/decisions/150). */
  | { type: 'focus'; userId: string; sessionId: string; roomId: string | null; at: number };

export interface EventBus {
  /** Delivers to this instance's listeners at once, and to the other instances when shared. */
  publish(event: LiveEvent): void;
  subscribe(listener: (event: LiveEvent) => void): () => void;
  /** False while events from other instances may be missed (Redis down). */
  healthy(): boolean;
  /** Called when the bus comes back after being unhealthy: time to catch up from the database. */
  onRecovered(listener: () => void): () => void;
  /** Messages received from other instances so far (Redis buses): what the bench compares per instance. */
  received?(): number;
  /** Present when each instance hears only the topics it follows (docs/decisions/158); absent, it hears everything. */
  scope?: BusScope;
  close(): Promise<void>;
}

/**
 * What an instance follows on a scoped bus (docs/decisions/158): a room's events, or one user's
 * own (their read state, their joins, their role and notification settings). Routing: `bus/topics.ts`.
 */
export type Topic = `room:${string}` | `user:${string}`;

/** A scoped bus's subscriptions: the event feed follows the topics of this instance's readers. */
export interface BusScope {
  /** Resolves once the bus delivers these topics' events. */
  follow(topics: Topic[]): Promise<void>;
  unfollow(topics: Topic[]): void;
}

/** The pub/sub channel a deployment's instances share under its Redis key prefix. */
export const eventsChannel = (prefix: string) => `${prefix}events`;

/** An event as it travels through Redis: with the id of the bus that sent it, so the sender can skip its own echo. */
export const encode = (origin: string, event: LiveEvent) => JSON.stringify({ origin, event });

/**
 * The receiving end of a Redis bus (plain or sharded): decodes a message, drops the echo of this
 * bus's own publishes (already delivered locally) and anything unreadable, hands on the rest.
 */
export function createInbound(origin: string, emit: (event: LiveEvent) => void) {
  let received = 0;
  return {
    onMessage(_channel: string, raw: string) {
      let parsed: { origin: string; event: LiveEvent };
      try {
        parsed = JSON.parse(raw) as { origin: string; event: LiveEvent };
      } catch {
        return;
      }
      if (parsed.origin === origin) return;
      received++;
      emit(parsed.event);
    },
    received: () => received,
  };
}

/**
 * Publish-only, for a process that serves no sockets (`pnpm user:role`): what it says reaches every
 * instance's listeners, as if one of them had published it. Resolves once Redis has taken it.
 */
export function createRedisPublisher(opts: { redis: Redis; channel: string }): { publish(event: LiveEvent): Promise<void> } {
  const origin = randomUUID();
  return {
    async publish(event) {
      await opts.redis.publish(opts.channel, encode(origin, event));
    },
  };
}

export function createListeners<T extends unknown[]>() {
  const set = new Set<(...args: T) => void>();
  return {
    add(listener: (...args: T) => void) {
      set.add(listener);
      return () => void set.delete(listener);
    },
    emit(...args: T) {
      for (const listener of set) listener(...args);
    },
  };
}

export function createInProcessBus(): EventBus {
  const listeners = createListeners<[LiveEvent]>();
  return {
    publish: (event) => listeners.emit(event),
    subscribe: listeners.add,
    healthy: () => true,
    onRecovered: () => () => {},
    close: async () => {},
  };
}

/**
 * Redis pub/sub between instances. Each event is delivered locally at once and carries its
 * origin, so the copy Redis echoes back to the sender is ignored.
 */
export function createRedisBus(opts: { redis: Redis; channel: string; onError?: (error: Error) => void }): EventBus {
  const origin = randomUUID();
  const pub = opts.redis;
  const sub = opts.redis.duplicate();
  const listeners = createListeners<[LiveEvent]>();
  const recovered = createListeners<[]>();
  let wasDown = false;

  sub.on('error', (error) => opts.onError?.(error));
  sub.on('close', () => (wasDown = true));
  sub.on('ready', () => {
    // ioredis re-subscribes on reconnect; whatever was published meanwhile is gone from pub/sub.
    if (wasDown) recovered.emit();
    wasDown = false;
  });
  const inbound = createInbound(origin, listeners.emit);
  sub.on('message', inbound.onMessage);
  void sub.subscribe(opts.channel).catch((error: Error) => opts.onError?.(error));

  return {
    publish(event) {
      listeners.emit(event);
      pub.publish(opts.channel, encode(origin, event)).catch((error: Error) => opts.onError?.(error));
    },
    subscribe: listeners.add,
    healthy: () => sub.status === 'ready' && pub.status === 'ready',
    onRecovered: recovered.add,
    received: inbound.received,
    async close() {
      sub.disconnect();
    },
  };
}
