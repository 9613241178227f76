import type { ServerResponse } from 'node:http';
import { errorShape } from './trpc-frames';
import { isSubscriptionPath } from './trpc-router';

/** The procedure paths of a `/trpc/a,b` request, as tRPC's standalone adapter reads them (undecoded). */
const pathsOf = (pathname: string) =>
  pathname
    .replace(/^\/+|\/+$/g, '')
    .slice('trpc'.length)
    .replace(/^\/+/, '')
    .split(',');

/**
 * tRPC v11 serves subscriptions over HTTP too, as server-sent-event streams, which logout, token
 * expiry and the per-socket limits would not reach. Ours live on the WebSocket only: such a
 * request is refused (405, tRPC's METHOD_NOT_SUPPORTED) before any context, token check or
 * procedure runs, so no stream is ever opened. Returns true when it answered.
 */
export function refuseHttpSubscription(res: ServerResponse, pathname: string): boolean {
  const path = pathsOf(pathname).find(isSubscriptionPath);
  if (path === undefined) return false;
  const shape = errorShape('METHOD_NOT_SUPPORTED', 'Subscriptions are served over the WebSocket (/ws) only', path, 'subscription');
  res.writeHead(405, { 'Content-Type': 'application/json', Allow: 'GET, POST' }).end(JSON.stringify({ error: shape }));
  return true;
}
