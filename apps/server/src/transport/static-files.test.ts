import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/testing';

// The layout `vite build` writes (apps/web/vite-plugins/precompress.ts puts the .br/.gz twins beside each file).
const SCRIPT = `export const app = ${JSON.stringify('x'.repeat(4000))};\n`;
const INDEX = `<!doctype html><title>chat</title>${'<!-- padding -->'.repeat(100)}`;
const MANIFEST = JSON.stringify({ name: 'Ember chat', icons: [] });

let server: TestServer;
let webDir: string;
beforeAll(async () => {
  webDir = mkdtempSync(join(tmpdir(), 'chat-static-'));
  mkdirSync(join(webDir, 'assets'));
  const write = (path: string, text: string, compressed = true) => {
    writeFileSync(join(webDir, path), text);
    if (!compressed) return;
    writeFileSync(join(webDir, `${path}.br`), brotliCompressSync(text));
    writeFileSync(join(webDir, `${path}.gz`), gzipSync(text));
  };
  write('index.html', INDEX);
  write('assets/index-AbC123.js', SCRIPT);
  // Only gzip was worth it for this one: a br request falls back to it.
  writeFileSync(join(webDir, 'assets/only-gzip-Zz9.css'), 'body{}');
  writeFileSync(join(webDir, 'assets/only-gzip-Zz9.css.gz'), gzipSync('body{}'));
  write('robots.txt', 'User-agent: *\nDisallow: /\n', false);
  write('manifest.webmanifest', MANIFEST, false);
  write('sw.js', "self.addEventListener('push', () => {});\n", false);
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), webDistDir: webDir });
});
afterAll(async () => {
  await server?.dispose();
  rmSync(webDir, { recursive: true, force: true });
});

/** node:http rather than fetch: fetch decodes the body and would hide which bytes were sent. */
function get(path: string, acceptEncoding?: string, method = 'GET') {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const req = request(`${server.url}${path}`, { method, headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('static files', () => {
  it('serves the service worker from the root, as a script browsers re-check on every load, under a CSP that allows it', async () => {
    const res = await get('/sw.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    // A cached worker would keep an old shell alive for a day; browsers cap it at 24 h, we ask for none.
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(String(res.headers['content-security-policy'])).toMatch(/(^|; )worker-src 'self'(;|$)/);
    expect(res.body.toString()).toContain("addEventListener('push'");
    // The page that registers it allows it too (worker-src, not only default-src).
    expect(String((await get('/r/00000000-0000-4000-8000-000000000001')).headers['content-security-policy'])).toMatch(/worker-src 'self'/);
  });

  it('sends the brotli twin with Content-Encoding: br to a browser that accepts br', async () => {
    const res = await get('/assets/index-AbC123.js', 'gzip, deflate, br, zstd');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['vary']).toBe('Accept-Encoding');
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    expect(res.body.length).toBeLessThan(SCRIPT.length / 10);
    expect(brotliDecompressSync(res.body).toString()).toBe(SCRIPT);
  });

  it('sends the gzip twin to a client that accepts only gzip, or refuses br', async () => {
    for (const accept of ['gzip', 'br;q=0, gzip', 'gzip;q=1, br;q=0.5', 'x-gzip']) {
      const res = await get('/assets/index-AbC123.js', accept);
      expect({ accept, encoding: res.headers['content-encoding'] }).toEqual({ accept, encoding: 'gzip' });
      expect(gunzipSync(res.body).toString()).toBe(SCRIPT);
      expect(res.headers['vary']).toBe('Accept-Encoding');
    }
  });

  it('sends the plain file when no encoding is accepted', async () => {
    for (const accept of [undefined, '', 'identity', 'deflate', 'br;q=0, gzip;q=0', '*;q=0']) {
      const res = await get('/assets/index-AbC123.js', accept);
      expect({ accept, encoding: res.headers['content-encoding'] }).toEqual({ accept, encoding: undefined });
      expect(res.body.toString()).toBe(SCRIPT);
      expect(res.headers['vary']).toBe('Accept-Encoding');
      expect(Number(res.headers['content-length'])).toBe(SCRIPT.length);
    }
  });

  it('falls back to the next accepted twin the build wrote, and to the plain file without one', async () => {
    const css = await get('/assets/only-gzip-Zz9.css', 'br, gzip');
    expect(css.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(css.body).toString()).toBe('body{}');
    const robots = await get('/robots.txt', 'br, gzip');
    expect(robots.headers['content-encoding']).toBeUndefined();
  });

  it('compresses the app page too, on every path that serves it, and never caches it', async () => {
    for (const path of ['/', '/some/room']) {
      const res = await get(path, 'br');
      expect(res.headers['content-encoding']).toBe('br');
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['vary']).toBe('Accept-Encoding');
      expect(brotliDecompressSync(res.body).toString()).toBe(INDEX);
    }
  });

  it('answers HEAD with the headers of the twin and no body', async () => {
    const res = await get('/assets/index-AbC123.js', 'br', 'HEAD');
    expect(res.headers['content-encoding']).toBe('br');
    expect(Number(res.headers['content-length'])).toBe(brotliCompressSync(SCRIPT).length);
    expect(res.body.length).toBe(0);
  });

  it('caches hashed assets for a year as immutable, whichever encoding is sent', async () => {
    for (const accept of ['br', 'gzip', undefined]) {
      expect((await get('/assets/index-AbC123.js', accept)).headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
  });

  it('serves /robots.txt as text, not the app page', async () => {
    const res = await get('/robots.txt');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.body.toString()).toContain('Disallow: /');
  });

  it('serves the web manifest with its media type', async () => {
    const res = await get('/manifest.webmanifest');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/manifest+json');
    expect(JSON.parse(res.body.toString())).toEqual(JSON.parse(MANIFEST));
  });

  it('still answers an unknown /assets/ file with 404, whatever the encoding', async () => {
    for (const accept of ['br', 'gzip', undefined]) {
      const res = await get('/assets/index-0000.js', accept);
      expect(res.status).toBe(404);
      expect(res.headers['content-encoding']).toBeUndefined();
    }
  });
});
