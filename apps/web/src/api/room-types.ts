import type { ChatMessage, RouterOutputs } from './trpc';

// The shapes the web app works with, as the router declares them (not copies that could drift).

type Yielded<T> = T extends AsyncIterable<infer Item> ? Item : never;

/** One event of chat.onEvent (every item arrives tracked, as `{ id, data }`). */
export type StreamEvent = Yielded<RouterOutputs['chat']['onEvent']>['data'];
export type DurableEvent = Exclude<
  StreamEvent,
  { type: 'typing' | 'presence.snapshot' | 'presence.changed' | 'resync' | 'role.changed' | 'notifications.changed' | 'focus.changed' }
>;
/** The user's own notification settings, and which room their other devices show (docs/decisions/149, 150). */
export type NotificationStreamEvent = Extract<StreamEvent, { type: 'notifications.changed' | 'focus.changed' }>;
/** The signed-in user's own role, pushed when an owner changes it. */
export type RoleChangedEvent = Extract<StreamEvent, { type: 'role.changed' }>;
/** A change to a message already sent: the open room's timeline applies it. */
export type MessageChangeEvent = Extract<StreamEvent, { type: 'message.edited' | 'message.deleted' | 'reaction.changed' | 'message.preview' | 'user.updated' | 'thread.updated' }>;
export type TypingStreamEvent = Extract<StreamEvent, { type: 'typing' }>;
export type PresenceStreamEvent = Extract<StreamEvent, { type: 'presence.snapshot' | 'presence.changed' }>;
export type RoomMessage = Extract<StreamEvent, { type: 'message.created' }>['message'];

export type RoomListItem = RouterOutputs['room']['list'][number];
export type Room = RouterOutputs['room']['create'];
/** What a reply shows of its original while it is being sent (the server's quote replaces it). */
export type ReplyTarget = NonNullable<ChatMessage['replyTo']>;
