import type { IncomingMessage } from 'node:http';

/**
 * Browsers always send Origin on WebSocket upgrades and cross-origin requests; a request from
 * a page on another site must not be able to use the API (cross-site WebSocket hijacking).
 * No Origin at all means a non-browser client (a bot, curl), which a page cannot forge.
 */
export function isOriginAllowed(req: IncomingMessage, allowedOrigins: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowedOrigins.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
