export { createChatClient, defaultRetryDelayMs, type ChatClient, type ChatClientExtras, type ChatClientOptions } from './chat-client';
export type { ConnectionState, ConnectionStatus, ConnectionStateSource } from './connection-state';
export type { MessageHandler, MessageSubscription, OnMessageOptions } from './on-message';
export type { ChatStreamEvent, EventHandler, EventSubscription, OnEventOptions } from './on-event';
export type { Credentials } from './session';
export { sameEmoji, toTrpcUrl, toWebSocketUrl } from './core';
export { TRPCClientError } from '@trpc/client';
export type { AppRouter, ChatMessage, PublicUser, Reaction, Room, RoomListItem, RoomMessage, DirectoryRoom, SearchResult, UserRef } from '@chat/api';
export { EVERYONE_ROOM_ID } from '@chat/api/schemas';
