import type { ServerResponse } from 'node:http';
import { appRouter } from '@chat/api';
import { TRPCError } from '@trpc/server';
import { getErrorShape } from '@trpc/server/unstable-core-do-not-import';

const { _config: config } = appRouter._def;
/** Flat at runtime ("chat.onMessage" → procedure), whatever its declared type says. */
const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } } | undefined>;

/** The procedure paths of a `/trpc/a,b` request, as tRPC's standalone adapter reads them (undecoded). */
const pathsOf = (pathname: string) =>
  pathname
    .replace(/^\/+|\/+$/g, '')
    .slice('trpc'.length)
    .replace(/^\/+/, '')
    .split(',');

const isSubscription = (path: string) => Object.hasOwn(procedures, path) && procedures[path]?._def.type === 'subscription';

/**
 * tRPC v11 serves subscriptions over HTTP too, as server-sent-event streams, which logout, token
 * expiry and the per-socket limits would not reach. Ours live on the WebSocket only: such a
 * request is refused (405, tRPC's METHOD_NOT_SUPPORTED) before any context, token check or
 * procedure runs, so no stream is ever opened. Returns true when it answered.
 */
export function refuseHttpSubscription(res: ServerResponse, pathname: string): boolean {
  const path = pathsOf(pathname).find(isSubscription);
  if (path === undefined) return false;
  const error = new TRPCError({ code: 'METHOD_NOT_SUPPORTED', message: 'Subscriptions are served over the WebSocket (/ws) only' });
  const shape = getErrorShape({ config, error, type: 'subscription', path, input: undefined, ctx: undefined });
  res.writeHead(405, { 'Content-Type': 'application/json', Allow: 'GET, POST' }).end(JSON.stringify({ error: shape }));
  return true;
}
