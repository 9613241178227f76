import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { acceptedEncodings } from './content-encoding';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

/** No inline scripts, nothing from other hosts, never framed. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  // blob: only ever names bytes this page holds itself: a picture being chosen, a queued message's image (decisions 143, 133).
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  // The service worker (/sw.js) and the manifest, named rather than left to default-src.
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Serves the built web app: hashed assets cached for a year, 404 for unknown assets, index.html for every
 * other path. A file's `.br`/`.gz` twin written by the build is sent instead when the request accepts it;
 * nothing is compressed here.
 */
export function createStaticHandler(root: string) {
  const index = join(root, 'index.html');
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (!existsSync(index)) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('The web app is not built; run `pnpm start` (it builds it) or `pnpm dev`.\n');
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Malformed URL\n');
      return;
    }
    const candidate = normalize(join(root, pathname));
    let file = index;
    if (candidate.startsWith(root + sep)) {
      const info = await stat(candidate).catch(() => null);
      if (info?.isFile()) file = candidate;
    }
    // A missing asset is a stale or mistyped URL, not a page of the app: index.html there would be
    // cached as a script or style under that name.
    if (file === index && pathname.startsWith('/assets/')) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache' }).end('Not found\n');
      return;
    }
    const immutable = file !== index && pathname.startsWith('/assets/');
    const variant = await precompressedVariant(file, req);
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      // Every file answer may differ by encoding: a shared cache must not hand gzip to a client that asked for none.
      Vary: 'Accept-Encoding',
      'Content-Length': variant.size,
      ...(variant.encoding ? { 'Content-Encoding': variant.encoding } : {}),
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(variant.path).pipe(res);
  };
}

/** The best twin of `file` the request accepts and the build wrote, else the file itself. */
async function precompressedVariant(file: string, req: IncomingMessage): Promise<{ path: string; size: number; encoding?: string }> {
  for (const { encoding, suffix } of acceptedEncodings(req.headers)) {
    const info = await stat(file + suffix).catch(() => null);
    if (info?.isFile()) return { path: file + suffix, size: info.size, encoding };
  }
  return { path: file, size: (await stat(file)).size };
}
