export { createChatClient, defaultRetryDelayMs, type ChatClient, type ChatClientExtras, type ChatClientOptions } from './chat-client';
export type { ConnectionState, ConnectionStatus, ConnectionStateSource } from './connection-state';
export type { MessageHandler, MessageSubscription, OnMessageOptions } from './on-message';
export type { ChatStreamEvent, EventHandler, EventSubscription, OnEventOptions } from './on-event';
export type { Credentials } from './session';
export { toTrpcUrl, toWebSocketUrl } from './core';
export { TRPCClientError } from '@trpc/client';
export type { AppRouter, ChatMessage, PublicUser, Room, RoomListItem, RoomMessage, DirectoryRoom } from '@chat/api';
export { EVERYONE_ROOM_ID } from '@chat/api/schemas';
