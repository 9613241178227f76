import type { AppRouter } from '@chat/api';
import { createTRPCReact } from '@trpc/react-query';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';

/** Typed hooks for the shared router; only its type crosses into the browser bundle. */
export const trpc = createTRPCReact<AppRouter>();

export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type RouterInputs = inferRouterInputs<AppRouter>;
/** What a subscription yields. */
type Yielded<T> = T extends AsyncIterable<infer Item> ? Item : never;

export type ChatMessage = RouterOutputs['chat']['send'];
export type PublicUser = RouterOutputs['user']['search'][number];
export type AuthResult = RouterOutputs['auth']['login'];
/** What chat.onPresence yields: a snapshot first, then joins and leaves. */
export type PresenceUpdate = Yielded<RouterOutputs['chat']['onPresence']>;
export type OnlineUser = Extract<PresenceUpdate, { type: 'snapshot' }>['users'][number];
/** What chat.onTyping yields. */
export type TypingEvent = Yielded<RouterOutputs['chat']['onTyping']>;
