import type { AppRouter } from '@chat/api';
import { createTRPCReact } from '@trpc/react-query';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';

/** Typed hooks for the shared router; only its type crosses into the browser bundle. */
export const trpc = createTRPCReact<AppRouter>();

export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type ChatMessage = RouterOutputs['chat']['send'];
export type PublicUser = RouterOutputs['user']['search'][number];
export type AuthResult = RouterOutputs['auth']['login'];
