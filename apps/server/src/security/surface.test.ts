import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type IncomingHttpHeaders, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { WebSocket } from 'ws';
import { startTestServer, type TestServer } from '../testing/testing';
import { CONTENT_SECURITY_POLICY } from '../index';

// What the server shows to anyone who can reach it: which names it answers to, /metrics,
// browser hardening headers, and what a wrong asset URL gets.

/** A raw request with any Host header (fetch would not let the test choose it). */
function raw(server: TestServer, path: string, headers: Record<string, string>, method = 'GET', body?: string) {
  return new Promise<{ status: number; text: string; headers: IncomingHttpHeaders }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method, headers, setHost: false }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The status a WebSocket upgrade gets (101 when it opens). */
function upgradeStatus(server: TestServer, headers: Record<string, string>) {
  return new Promise<number>((resolve) => {
    const socket = new WebSocket(`${server.wsUrl}?connectionParams=1`, { headers });
    socket.once('open', () => (socket.close(), resolve(101)));
    socket.once('unexpected-response', (_req, res) => (res.resume(), resolve(res.statusCode ?? 0)));
    socket.once('error', () => {});
  });
}

const login = JSON.stringify({ username: 'nobody_here', password: 'password123' });

let server: TestServer;
let webDir: string;
beforeAll(async () => {
  webDir = mkdtempSync(join(tmpdir(), 'chat-web-'));
  mkdirSync(join(webDir, 'assets'));
  writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>chat</title>');
  writeFileSync(join(webDir, 'assets', 'app-1234.js'), 'console.log(1)');
  server = await startTestServer({
    adminDatabaseUrl: inject('adminDatabaseUrl'),
    webDistDir: webDir,
    allowedHosts: ['.example.org', 'chat.example.net'],
    allowedOrigins: ['https://app.example.com'],
  });
});
afterAll(async () => {
  await server?.dispose();
  rmSync(webDir, { recursive: true, force: true });
});

describe('DNS rebinding', () => {
  it('refuses a page on a rebound name: its Host and Origin agree, but the name is not ours', async () => {
    const host = `rebind.example:${server.port}`;
    const headers = { host, origin: `http://${host}`, 'content-type': 'application/json' };
    const api = await raw(server, '/trpc/auth.login', headers, 'POST', login);
    expect(api.status).toBe(403);
    expect(api.text).toContain('ALLOWED_HOSTS');
    expect(await upgradeStatus(server, { host, origin: `http://${host}` })).toBe(403);
    expect((await raw(server, '/', { host })).status).toBe(403);
    // Look-alikes of allowed names are refused too.
    for (const evil of ['evilexample.org', 'chat.example.net.evil.test', 'example.org.evil.test', 'app.example.com.evil.test']) {
      expect((await raw(server, '/trpc/auth.login', { host: evil, 'content-type': 'application/json' }, 'POST', login)).status).toBe(403);
    }
  });

  it('answers IP literals, localhost, listed names and the hosts of ALLOWED_ORIGINS', async () => {
    for (const host of ['127.0.0.1', `127.0.0.1:${server.port}`, '192.168.1.20:8080', '[::1]:8080', '[2001:db8::1]', 'localhost:5173', 'LOCALHOST', 'example.org', 'a.b.example.org:443', 'chat.example.net', 'chat.example.net.', 'app.example.com']) {
      const res = await raw(server, '/trpc/auth.me', { host });
      expect({ host, status: res.status }).toEqual({ host, status: 401 });
    }
    expect(await upgradeStatus(server, { host: '10.0.0.5:8080' })).toBe(101);
    expect(await upgradeStatus(server, { host: 'a.example.org', origin: 'http://a.example.org' })).toBe(101);
  });

  it('answers probes under any name', async () => {
    expect((await raw(server, '/healthz', { host: 'app1:8080' })).status).toBe(200);
    expect((await raw(server, '/readyz', { host: 'app1:8080' })).status).toBe(200);
  });
});

describe('/metrics', () => {
  it('is off by default (404), so auth-failure and limit counters are nobody\'s business', async () => {
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('chat_');
  });

  it('with METRICS_TOKEN set, wants it as a bearer token', async () => {
    const token = 'metrics-token-0123456789abcdef';
    const local = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), metricsToken: token });
    try {
      const none = await fetch(`${local.url}/metrics`);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await none.text()).not.toContain('chat_');
      for (const wrong of [`Bearer ${token.slice(0, -1)}`, `Bearer ${token}x`, token, `Basic ${token}`]) {
        expect((await fetch(`${local.url}/metrics`, { headers: { authorization: wrong } })).status).toBe(401);
      }
      const ok = await fetch(`${local.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('chat_websockets_open');
    } finally {
      await local.dispose();
    }
  });
});

describe('browser hardening', () => {
  it('sends Permissions-Policy, Cross-Origin-Opener-Policy and Cross-Origin-Resource-Policy on pages, assets and the API', async () => {
    for (const path of ['/', '/assets/app-1234.js', '/healthz', '/trpc/auth.me']) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.headers.get('permissions-policy'), path).toMatch(/camera=\(\).*microphone=\(\)/);
      expect(res.headers.get('cross-origin-opener-policy'), path).toBe('same-origin');
      expect(res.headers.get('cross-origin-resource-policy'), path).toBe('same-origin');
    }
  });

  it('sends a Content-Security-Policy on every response: the app’s on its pages and assets, “nothing may load” on the rest', async () => {
    for (const path of ['/', '/some/route', '/assets/app-1234.js']) {
      expect((await fetch(`${server.url}${path}`)).headers.get('content-security-policy'), path).toBe(CONTENT_SECURITY_POLICY);
    }
    const nothing = /^default-src 'none'; frame-ancestors 'none'$/;
    // Not documents: an unknown asset's 404, the probes, /metrics while off, a wrong method, a malformed URL, the API.
    for (const [path, method] of [['/assets/app-0000.js', 'GET'], ['/readyz', 'GET'], ['/healthz', 'GET'], ['/metrics', 'GET'], ['/', 'POST'], ['/%E0%A4%A', 'GET'], ['/trpc/auth.me', 'GET']] as const) {
      const res = await fetch(`${server.url}${path}`, { method });
      expect(res.headers.get('content-security-policy'), `${method} ${path}`).toMatch(nothing);
    }
    // A refused Host is told so in a text that must not run either.
    const refused = await raw(server, '/', { host: 'rebind.example' });
    expect(refused.status).toBe(403);
    expect(refused.headers['content-security-policy']).toMatch(nothing);
  });

  it('answers an unknown /assets/ file with 404, not the app page', async () => {
    const missing = await fetch(`${server.url}/assets/app-0000.js`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('cache-control')).not.toMatch(/immutable/);
    expect(await missing.text()).not.toContain('<!doctype html>');
    expect((await fetch(`${server.url}/assets/app-1234.js`)).status).toBe(200);
    // Client-side routes still get the app.
    const route = await fetch(`${server.url}/some/route`);
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<!doctype html>');
  });
});
