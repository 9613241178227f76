export interface ApiEndpoints {
  /** Base URL for httpBatchLink, e.g. https://chat.example/trpc */
  httpUrl: string;
  /** WebSocket URL for wsLink, e.g. wss://chat.example/ws */
  wsUrl: string;
}

interface LocationLike {
  protocol: string;
  host: string;
}

/**
 * Same origin by default, so one build works on localhost, a LAN IP or a domain;
 * `override` (VITE_API_URL) points a split deployment at another origin.
 */
export function resolveApiEndpoints(location: LocationLike, override?: string | null): ApiEndpoints {
  const base = override?.trim() ? new URL(override.trim()) : new URL(`${location.protocol}//${location.host}`);
  const path = base.pathname.replace(/\/+$/, '');
  const wsProtocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
  return {
    httpUrl: `${base.protocol}//${base.host}${path}/trpc`,
    wsUrl: `${wsProtocol}//${base.host}${path}/ws`,
  };
}

export const apiEndpoints = (): ApiEndpoints =>
  resolveApiEndpoints(window.location, (import.meta.env.VITE_API_URL as string | undefined) ?? null);
