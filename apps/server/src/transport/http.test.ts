import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LIMITS } from './chat-server';
import { signUpClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/testing';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), allowedOrigins: ['https://chat.example.com'] });
});
afterAll(() => server?.dispose());

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

describe('HTTP', () => {
  it('answers /healthz with 200 while the database answers', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('sets hardening headers and no X-Powered-By', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('refuses a foreign Origin with 403 and allows listed and same origins with CORS headers', async () => {
    const body = JSON.stringify({ username: 'nobody_x', password: 'password123' });
    expect((await post('/trpc/auth.login', body, { origin: 'https://evil.example' })).status).toBe(403);
    const listed = await post('/trpc/auth.login', body, { origin: 'https://chat.example.com' });
    expect(listed.status).toBe(401);
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://chat.example.com');
    expect((await post('/trpc/auth.login', body, { origin: server.url })).status).toBe(401);
  });

  it('refuses a body over the limit with 413, without a stack trace', async () => {
    const { token } = await signUpClient(server);
    const res = await post('/trpc/chat.send', JSON.stringify({ text: 'x'.repeat(LIMITS.httpMaxBodyBytes + 10) }), {
      authorization: `Bearer ${token}`,
    });
    expect(res.status).toBe(413);
    expect(await res.text()).not.toMatch(/\.ts:\d+|node_modules/);
  });

  it('answers malformed JSON with BAD_REQUEST and no stack trace', async () => {
    const { token } = await signUpClient(server);
    const res = await post('/trpc/chat.send', '{"text": ', { authorization: `Bearer ${token}` });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toContain('BAD_REQUEST');
    expect(text).not.toMatch(/stack|\.ts:\d+|node_modules/);
  });

  it('answers 503 on /healthz once the database is gone', async () => {
    const local = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl') });
    await local.orm.close(true);
    const res = await fetch(`${local.url}/healthz`);
    expect(res.status).toBe(503);
    await local.stop();
  });
});
