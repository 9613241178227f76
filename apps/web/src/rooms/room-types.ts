import type { RouterOutputs } from '../api/trpc';

// The shapes the web app works with, as the router declares them (not copies that could drift).

type Yielded<T> = T extends AsyncIterable<infer Item> ? Item : never;

/** One event of chat.onEvent (every item arrives tracked, as `{ id, data }`). */
export type StreamEvent = Yielded<RouterOutputs['chat']['onEvent']>['data'];
export type DurableEvent = Extract<StreamEvent, { type: 'message.created' | 'room.joined' | 'room.left' | 'room.updated' | 'read.updated' }>;
export type TypingStreamEvent = Extract<StreamEvent, { type: 'typing' }>;
export type PresenceStreamEvent = Extract<StreamEvent, { type: 'presence.snapshot' | 'presence.changed' }>;
export type RoomMessage = Extract<StreamEvent, { type: 'message.created' }>['message'];

export type RoomListItem = RouterOutputs['room']['list'][number];
export type Room = RouterOutputs['room']['create'];
