import { appRouter } from '@chat/api';

/*
 * The two reads of tRPC's router internals (docs/decisions/126). tRPC's own adapters read both the
 * same way; there is no public accessor for either in @trpc/server 11.25.2 (pinned).
 */

/** The router's runtime config (its errorFormatter, its transformer): what the adapters pass to getErrorShape and transformTRPCResponse. */
export const routerConfig = appRouter._def._config;

/** Flat at runtime ("chat.onMessage" → procedure), whatever its declared type says. */
const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } } | undefined>;

/** Whether `path` names a subscription procedure of the router. */
export const isSubscriptionPath = (path: string) => Object.hasOwn(procedures, path) && procedures[path]?._def.type === 'subscription';
