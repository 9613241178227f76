import type { AppRouter, ChatMessage } from '@chat/api';
import type { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { WebSocket } from 'ws';
import { LIMITS } from '../index';
import { collect, signUpClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/testing';

// One signed-up user trying to make the server do far more work than one request is worth.

interface Reply {
  id: number | string | null;
  result?: { type: string; data?: unknown };
  error?: { message: string; data: { code: string; httpStatus: number } };
}

/** A raw socket that has sent its token, with every reply it got. */
async function rawSocket(server: TestServer, token: string) {
  const socket = new WebSocket(`${server.wsUrl}?connectionParams=1`);
  const replies: Reply[] = [];
  socket.on('message', (raw) => {
    const text = raw.toString();
    if (text !== 'PING' && text !== 'PONG') replies.push(JSON.parse(text) as Reply);
  });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  socket.send(JSON.stringify({ method: 'connectionParams', data: { token } }));
  const send = (frame: unknown) => socket.send(JSON.stringify(frame));
  const about = (id: number | string) => replies.filter((r) => r.id === id);
  return { socket, replies, send, about, close: () => socket.close() };
}

const subscribe = (id: number | string, path = 'chat.onTyping', input?: unknown) => ({ id, method: 'subscription', params: { path, input } });
const started = (replies: Reply[]) => replies.filter((r) => r.result?.type === 'started').length;
const errorsWith = (replies: Reply[], code: string) => replies.filter((r) => r.error?.data.code === code).length;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl') });
});
afterAll(() => server?.dispose());

describe('batches', () => {
  it('refuses an HTTP batch of 1,000 history calls with BAD_REQUEST instead of building the response', async () => {
    const { token } = await signUpClient(server, 'batcher');
    const paths = Array.from({ length: 1000 }, () => 'chat.history').join(',');
    const res = await fetch(`${server.url}/trpc/${paths}?batch=1`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(body).toContain('BAD_REQUEST');
    // One error for the whole batch (SECURITY.md says so), not an array of one per call.
    expect(JSON.parse(body)).toMatchObject({ error: { data: { code: 'BAD_REQUEST' } } });
    expect(body.length).toBeLessThan(10_000);
    // One over the cap is refused too; the cap itself is served.
    const over = Array.from({ length: LIMITS.maxBatch + 1 }, () => 'chat.history').join(',');
    expect((await fetch(`${server.url}/trpc/${over}?batch=1`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(400);
    const at = Array.from({ length: LIMITS.maxBatch }, () => 'chat.history').join(',');
    expect((await fetch(`${server.url}/trpc/${at}?batch=1`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  });

  it('the real client splits 25 parallel queries into batches the server takes', async () => {
    const { client } = await signUpClient(server, 'parallel');
    const pages = await Promise.all(Array.from({ length: 25 }, () => client.trpc.chat.history.query({ limit: 5 })));
    expect(pages).toHaveLength(25);
    for (const page of pages) expect(page.messages).toEqual([]);
  });

  it('refuses a WebSocket frame of 600 calls with BAD_REQUEST for each id, and runs none', async () => {
    const { token } = await signUpClient(server, 'wsbatcher');
    const raw = await rawSocket(server, token);
    raw.send(Array.from({ length: 600 }, (_, i) => ({ id: i + 1, method: 'query', params: { path: 'chat.history', input: { limit: 100 } } })));
    await expect.poll(() => raw.replies.length).toBe(600);
    expect(errorsWith(raw.replies, 'BAD_REQUEST')).toBe(600);
    expect(raw.replies.filter((r) => r.result)).toEqual([]);
    // The socket stays usable: a batch at the cap is served.
    raw.send(Array.from({ length: LIMITS.maxBatch }, (_, i) => ({ id: 1000 + i, method: 'query', params: { path: 'chat.history', input: { limit: 1 } } })));
    await expect.poll(() => raw.replies.filter((r) => r.result?.type === 'data').length).toBe(LIMITS.maxBatch);
    raw.close();
  });

  it('charges history rows to the reader and refuses past the budget with TOO_MANY_REQUESTS and Retry-After', async () => {
    const local = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), rateLimits: { historyRowsPerUser: { points: 250, duration: 60 } } });
    try {
      const reader = await signUpClient(local, 'reader');
      const other = await signUpClient(local, 'other');
      await reader.client.trpc.chat.history.query({ limit: 100 });
      await reader.client.trpc.chat.history.query({ limit: 100 });
      const refused = await reader.client.trpc.chat.history.query({ limit: 100 }).catch((e: TRPCClientError<AppRouter>) => e);
      expect((refused as TRPCClientError<AppRouter>).data?.code).toBe('TOO_MANY_REQUESTS');
      // What is left still serves a smaller page; another reader has a budget of their own.
      expect((await reader.client.trpc.chat.history.query({ limit: 50 })).messages).toEqual([]);
      await other.client.trpc.chat.history.query({ limit: 100 });
      const res = await fetch(`${local.url}/trpc/chat.history?input=${encodeURIComponent(JSON.stringify({ limit: 100 }))}`, { headers: { authorization: `Bearer ${reader.token}` } });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await local.dispose();
    }
  });
});

describe('subscriptions per socket', () => {
  it('opens at most 10 subscriptions on one socket and refuses the rest with TOO_MANY_REQUESTS, keeping the socket', async () => {
    const { token } = await signUpClient(server, 'hoarder');
    const raw = await rawSocket(server, token);
    // 50 subscriptions, in frames of 10 and single frames.
    for (let batch = 0; batch < 3; batch++) raw.send(Array.from({ length: 10 }, (_, i) => subscribe(batch * 10 + i + 1)));
    for (let i = 31; i <= 50; i++) raw.send(subscribe(i));
    await expect.poll(() => started(raw.replies) + errorsWith(raw.replies, 'TOO_MANY_REQUESTS')).toBe(50);
    expect(started(raw.replies)).toBe(LIMITS.maxSubscriptionsPerSocket);
    expect(raw.socket.readyState).toBe(WebSocket.OPEN);
    // A query on the same socket is still served.
    raw.send({ id: 'q1', method: 'query', params: { path: 'chat.history', input: { limit: 1 } } });
    await expect.poll(() => raw.about('q1')[0]?.result?.type).toBe('data');
    // subscription.stop frees a slot once the subscription has ended.
    const open = raw.replies.find((r) => r.result?.type === 'started')!.id!;
    raw.send({ id: open, method: 'subscription.stop' });
    await expect.poll(() => raw.about(open).some((r) => r.result?.type === 'stopped')).toBe(true);
    raw.send(subscribe(51));
    await expect.poll(() => raw.about(51)[0]?.result?.type).toBe('started');
    raw.send(subscribe(52));
    await expect.poll(() => raw.about(52)[0]?.error?.data.code).toBe('TOO_MANY_REQUESTS');
    raw.close();
  });

  it('refuses a chat.onMessage subscription flood, so a broadcast is not multiplied thousands of times', async () => {
    const { token } = await signUpClient(server, 'multiplier');
    const raw = await rawSocket(server, token);
    for (let i = 1; i <= 200; i++) raw.send(subscribe(i, 'chat.onMessage', {}));
    await expect.poll(() => started(raw.replies) + errorsWith(raw.replies, 'TOO_MANY_REQUESTS')).toBe(200);
    expect(started(raw.replies)).toBe(LIMITS.maxSubscriptionsPerSocket);
    const sender = await signUpClient(server, 'sender');
    await sender.client.trpc.chat.send.mutate({ text: 'one broadcast' });
    await expect.poll(() => raw.replies.filter((r) => r.result?.type === 'data').length).toBe(LIMITS.maxSubscriptionsPerSocket);
    raw.close();
  });

  it('refuses request ids longer than 64 characters, which every reply would echo', async () => {
    const { token } = await signUpClient(server, 'longid');
    const raw = await rawSocket(server, token);
    const longId = 'x'.repeat(60 * 1024);
    raw.send(subscribe(longId));
    raw.send(subscribe('y'.repeat(LIMITS.maxRequestIdLength + 1)));
    raw.send(subscribe('z'.repeat(LIMITS.maxRequestIdLength)));
    await expect.poll(() => raw.replies.length).toBeGreaterThanOrEqual(3);
    expect(raw.about(longId)[0]?.error?.data.code).toBe('BAD_REQUEST');
    expect(raw.about('y'.repeat(LIMITS.maxRequestIdLength + 1))[0]?.error?.data.code).toBe('BAD_REQUEST');
    expect(raw.about('z'.repeat(LIMITS.maxRequestIdLength))[0]?.result?.type).toBe('started');
    raw.close();
  });

  it('a reused id cannot free a slot: the duplicate is refused and the cap holds', async () => {
    const { token } = await signUpClient(server, 'reuser');
    const raw = await rawSocket(server, token);
    raw.send(Array.from({ length: 10 }, (_, i) => subscribe(i + 1)));
    await expect.poll(() => started(raw.replies)).toBe(10);
    // A failing call under a live subscription's id, and an oversized batch reusing the ids.
    raw.send({ id: 1, method: 'query', params: { path: 'chat.history', input: { limit: 0 } } });
    raw.send(Array.from({ length: 50 }, (_, i) => subscribe((i % 10) + 1)));
    await expect.poll(() => raw.replies.filter((r) => r.error).length).toBe(51);
    raw.send(subscribe(11));
    await expect.poll(() => raw.about(11)[0]?.error?.data.code).toBe('TOO_MANY_REQUESTS');
    expect(raw.replies.filter((r) => r.result?.type === 'stopped')).toEqual([]);
    raw.close();
  });

  it('a subscription refused by the procedure gives its slot back', async () => {
    const { token } = await signUpClient(server, 'failing');
    const raw = await rawSocket(server, token);
    raw.send(Array.from({ length: 10 }, (_, i) => subscribe(i + 1, 'chat.onMessage', { lastEventId: 'not-an-id' })));
    await expect.poll(() => errorsWith(raw.replies, 'BAD_REQUEST')).toBe(10);
    raw.send(Array.from({ length: 10 }, (_, i) => subscribe(i + 11)));
    await expect.poll(() => started(raw.replies)).toBe(10);
    raw.close();
  });

  it('the real client opens the web app subscriptions on one socket and receives messages', async () => {
    const alice = await signUpClient(server, 'alice');
    const seen = collect<ChatMessage>();
    const subs = [
      alice.client.trpc.chat.onMessage.subscribe({}, { onData: (e) => seen.push(e.data) }),
      alice.client.trpc.chat.onTyping.subscribe(undefined, { onData: () => {} }),
      alice.client.trpc.chat.onPresence.subscribe(undefined, { onData: () => {} }),
    ];
    await new Promise((r) => setTimeout(r, 200));
    const sent = await alice.client.trpc.chat.send.mutate({ text: 'still works' });
    await expect.poll(() => seen.items.map((m) => m.id)).toContain(sent.id);
    // Unsubscribing and subscribing again many times never runs out of slots.
    for (let i = 0; i < 15; i++) {
      await new Promise<void>((resolve, reject) => {
        const sub = alice.client.trpc.chat.onTyping.subscribe(undefined, { onStarted: () => (sub.unsubscribe(), resolve()), onError: reject, onData: () => {} });
      });
    }
    const last = collect<ChatMessage>();
    const lastSub = alice.client.trpc.chat.onMessage.subscribe({}, { onData: (e) => last.push(e.data) });
    await new Promise((r) => setTimeout(r, 200));
    const next = await alice.client.trpc.chat.send.mutate({ text: 'after churn' });
    await expect.poll(() => last.items.map((m) => m.id)).toContain(next.id);
    for (const sub of [...subs, lastSub]) sub.unsubscribe();
    await alice.client.close();
  });
});

describe('the SSE side door', () => {
  it('refuses a subscription over HTTP with METHOD_NOT_SUPPORTED and holds no stream', async () => {
    const { token } = await signUpClient(server, 'sse');
    const headers = { authorization: `Bearer ${token}` };
    for (const request of [
      fetch(`${server.url}/trpc/chat.onMessage`, { headers, signal: AbortSignal.timeout(5_000) }),
      fetch(`${server.url}/trpc/chat.onTyping`, { headers: { ...headers, accept: 'text/event-stream' }, signal: AbortSignal.timeout(5_000) }),
      fetch(`${server.url}/trpc/chat.onPresence`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{}', signal: AbortSignal.timeout(5_000) }),
      fetch(`${server.url}/trpc/chat.history,chat.onMessage?batch=1`, { headers, signal: AbortSignal.timeout(5_000) }),
    ]) {
      const res = await request;
      expect(res.status).toBe(405);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      // The body ends: no stream is held open.
      expect(await res.text()).toContain('METHOD_NOT_SUPPORTED');
    }
    // Without a token it is refused the same way, before any token work.
    expect((await fetch(`${server.url}/trpc/chat.onMessage`, { signal: AbortSignal.timeout(5_000) })).status).toBe(405);
  });
});
