/** The two endpoints of a chat server: it serves both on one origin, tRPC over HTTP at `/trpc` and WebSocket at `/ws`. */
export interface ApiEndpoints {
  /** For httpBatchLink, e.g. https://chat.example/trpc */
  httpUrl: string;
  /** For wsLink, e.g. wss://chat.example/ws */
  wsUrl: string;
}

/** The endpoints under an http(s) base URL; a path prefix on the base is kept, a query or fragment dropped. */
export function apiEndpoints(baseUrl: string): ApiEndpoints {
  const base = new URL(baseUrl);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new TypeError(`Expected an http:// or https:// URL, got "${baseUrl}"`);
  }
  const path = base.pathname.replace(/\/+$/, '');
  const wsProtocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
  return { httpUrl: `${base.protocol}//${base.host}${path}/trpc`, wsUrl: `${wsProtocol}//${base.host}${path}/ws` };
}

/**
 * The endpoints for a web page: its own origin by default, so one build works on localhost, a
 * LAN address or a domain; `override` (the web's VITE_API_URL) points a split deployment elsewhere.
 */
export function apiEndpointsForPage(location: { protocol: string; host: string }, override?: string | null): ApiEndpoints {
  return apiEndpoints(override?.trim() ? override.trim() : `${location.protocol}//${location.host}`);
}

/** The WebSocket endpoint of a chat server, from its http(s) base URL. */
export const toWebSocketUrl = (httpUrl: string): string => apiEndpoints(httpUrl).wsUrl;

/** The tRPC HTTP endpoint under the same base. */
export const toTrpcUrl = (httpUrl: string): string => apiEndpoints(httpUrl).httpUrl;
