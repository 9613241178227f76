/**
 * The WebSocket endpoint of a chat server, from its http(s) base URL: the server serves both
 * on one port, WebSocket at `/ws` (a path prefix on the base, if any, is kept).
 */
export function toWebSocketUrl(httpUrl: string): string {
  const url = new URL(httpUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`Expected an http:// or https:// URL, got "${httpUrl}"`);
  }
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/ws`;
  url.search = '';
  url.hash = '';
  return url.toString();
}

/** The tRPC HTTP endpoint under the same base. */
export function toTrpcUrl(httpUrl: string): string {
  const url = new URL(httpUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/trpc`;
  url.search = '';
  url.hash = '';
  return url.toString();
}
