import { startTestServer, type TestServer } from '@chat/server/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ChatClient, type ChatMessage, type ConnectionState, createChatClient, TRPCClientError } from './index';
import { startTcpProxy } from './testing';

// Polls longer than vitest's 1 s default: the whole suite shares two cores and a database.
const eventually = <T>(fn: () => T, opts: { timeout?: number } = {}) => expect.poll(fn, { timeout: 5_000, ...opts });

let server: TestServer;
const open: ChatClient[] = [];
beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl') });
});
afterAll(async () => {
  await Promise.all(open.map((c) => c.close()));
  await server?.dispose();
});

let counter = 0;
const uniqueName = (prefix: string) => `${prefix}${Date.now().toString(36).slice(-5)}${counter++}`;
const password = 'correct horse battery';
const fastRetry = () => 50;

async function connect(username = uniqueName('c'), extra: { url?: string } = {}) {
  const client = await createChatClient({ url: extra.url ?? server.url, username, password, signup: true, retryDelayMs: fastRetry });
  open.push(client);
  return client;
}

function inbox(client: ChatClient) {
  const messages: ChatMessage[] = [];
  const subscription = client.onMessage((m) => void messages.push(m));
  return { messages, texts: () => messages.map((m) => m.text), subscription };
}

describe('createChatClient', () => {
  it('signs up on first run, then logs in to the same account', async () => {
    const username = uniqueName('first');
    const first = await connect(username);
    const again = await connect(username);
    expect(again.me).toEqual(first.me);
    expect(await again.auth.me.query()).toEqual(first.me);
  });

  it('rejects a wrong password with UNAUTHORIZED instead of signing up', async () => {
    const { me } = await connect();
    const attempt = createChatClient({ url: server.url, username: me.username, password: 'not the password', signup: true });
    await expect(attempt).rejects.toBeInstanceOf(TRPCClientError);
    await expect(attempt).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
  });

  it('rejects a bad token once, with UNAUTHORIZED', async () => {
    const attempt = createChatClient({ url: server.url, token: 'not-a-token' });
    await expect(attempt).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
  });

  it('connects with a token it was given', async () => {
    const owner = await connect();
    const { token } = await owner.trpc.auth.login.mutate({ username: owner.me.username, password });
    const client = await createChatClient({ url: server.url, token, retryDelayMs: fastRetry });
    open.push(client);
    expect(client.me.id).toBe(owner.me.id);
    expect(client.connectionState.get().state).toBe('connected');
  });

  it('rejects when the WebSocket cannot be opened in time, and leaves nothing retrying', async () => {
    // HTTP works (login), but this server has no /ws: the upgrade is answered 404.
    const { createServer, request } = await import('node:http');
    const httpOnly = createServer((req, res) => {
      const upstream = request({ host: '127.0.0.1', port: server.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
    });
    let upgrades = 0;
    httpOnly.on('upgrade', (_req, socket) => {
      upgrades++;
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
    });
    await new Promise<void>((resolve) => httpOnly.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(httpOnly.address() as { port: number }).port}`;
    try {
      const attempt = createChatClient({ url, username: uniqueName('nows'), password, signup: true, retryDelayMs: fastRetry, connectTimeoutMs: 500 });
      await expect(attempt).rejects.toThrow(/No WebSocket connection to ws:\/\/127\.0\.0\.1:\d+\/ws within 500 ms/);
      expect(upgrades).toBeGreaterThan(1);
      const attempts = upgrades;
      await new Promise((r) => setTimeout(r, 300));
      expect(upgrades).toBe(attempts);
    } finally {
      httpOnly.closeAllConnections();
      await new Promise((resolve) => httpOnly.close(resolve));
    }
  });

  it("surfaces the server's error code as a TRPCClientError", async () => {
    const client = await connect();
    const error = await client.chat.send.mutate({ text: '   ' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect(error).toMatchObject({ data: { code: 'BAD_REQUEST', zodIssues: [{ path: ['text'] }] } });
  });
});

describe('onMessage', () => {
  it('delivers messages sent after it is ready, and not the history before', async () => {
    const alice = await connect(uniqueName('alice'));
    await alice.chat.send.mutate({ text: 'before' });
    const box = inbox(alice);
    await box.subscription.ready;
    await alice.chat.send.mutate({ text: 'after' });
    await eventually(box.texts).toEqual(['after']);
  });

  it('survives a server restart and keeps delivering, without duplicates', async () => {
    const client = await connect();
    const states: ConnectionState[] = [];
    // The error may change between retries; the test cares about state transitions.
    client.connectionState.subscribe(({ state }) => states.at(-1) !== state && states.push(state));
    const box = inbox(client);
    await box.subscription.ready;
    await client.chat.send.mutate({ text: 'one' });
    await eventually(box.texts).toEqual(['one']);

    await server.stop();
    await eventually(() => client.connectionState.get().state).toBe('reconnecting');
    await server.start();
    await eventually(() => client.connectionState.get().state, { timeout: 10_000 }).toBe('connected');

    await client.chat.send.mutate({ text: 'two' });
    await eventually(box.texts).toEqual(['one', 'two']);
    expect(states).toEqual(['connected', 'reconnecting', 'connected']);
  });

  it('resumes after the last message it saw, missing nothing sent while it was cut off', async () => {
    const proxy = await startTcpProxy(server.port);
    try {
      const listener = await connect(uniqueName('cut'), { url: proxy.url });
      const sender = await connect();
      const box = inbox(listener);
      await box.subscription.ready;
      await sender.chat.send.mutate({ text: 'seen live' });
      await eventually(box.texts).toEqual(['seen live']);

      await proxy.cut();
      await eventually(() => listener.connectionState.get().state).toBe('reconnecting');
      // Only a resubscription with lastEventId can bring these back: no socket saw them live.
      await sender.chat.send.mutate({ text: 'sent while cut off 1' });
      await sender.chat.send.mutate({ text: 'sent while cut off 2' });
      await proxy.restore();

      await eventually(box.texts, { timeout: 10_000 }).toEqual(['seen live', 'sent while cut off 1', 'sent while cut off 2']);
      await sender.chat.send.mutate({ text: 'live again' });
      await eventually(box.texts).toEqual(['seen live', 'sent while cut off 1', 'sent while cut off 2', 'live again']);
      expect(new Set(box.messages.map((m) => m.id)).size).toBe(4);
    } finally {
      await proxy.close();
    }
  });
});

describe('close', () => {
  it('ends the subscription and the socket, and reports closed', async () => {
    const client = await connect();
    const box = inbox(client);
    await box.subscription.ready;
    await client.close();
    expect(client.connectionState.get()).toEqual({ state: 'closed', error: null });
    // Idempotent: a second close (e.g. SIGINT then SIGTERM) is harmless.
    await client.close();
  });
});

describe('token expiry', () => {
  let shortLived: TestServer;
  beforeAll(async () => {
    shortLived = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), jwtTtlSeconds: 2 });
  });
  afterAll(() => shortLived?.dispose());

  it('logs in again when its token expires, and stays subscribed', async () => {
    const client = await createChatClient({ url: shortLived.url, username: uniqueName('renew'), password, signup: true, retryDelayMs: fastRetry });
    open.push(client);
    const box = inbox(client);
    await box.subscription.ready;
    // The server closes the socket (4401) when the token expires; the client logs in again.
    await eventually(() => client.connectionState.get().state, { timeout: 5_000 }).toBe('reconnecting');
    await eventually(() => client.connectionState.get().state, { timeout: 5_000 }).toBe('connected');
    await client.chat.send.mutate({ text: 'still here' });
    await eventually(box.texts).toEqual(['still here']);
  });

  it('reports an expired token it cannot renew once, then stays closed', async () => {
    const owner = await createChatClient({ url: shortLived.url, username: uniqueName('tok'), password, signup: true });
    open.push(owner);
    const { token } = await owner.trpc.auth.login.mutate({ username: owner.me.username, password });
    const errors: unknown[] = [];
    const client = await createChatClient({ url: shortLived.url, token, retryDelayMs: fastRetry, onError: (e) => errors.push(e) });
    open.push(client);
    await eventually(() => client.connectionState.get().state, { timeout: 5_000 }).toBe('closed');
    await new Promise((r) => setTimeout(r, 500));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ data: { code: 'UNAUTHORIZED' } });
    expect(client.connectionState.get().error).toBe(errors[0]);
  });
});
