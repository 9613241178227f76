import { describe, expect, it, vi } from 'vitest';
import { eventually, uniqueName, useTestServer } from './test-server';
import { createTRPCClient, httpLink } from '@trpc/client';
import { WebSocket as NodeWebSocket } from 'ws';
import {
  type AppRouter,
  type ChatClient,
  type ChatClientOptions,
  type ChatMessage,
  type ChatStreamEvent,
  type ConnectionState,
  createChatClient,
  EVERYONE_ROOM_ID,
  TRPCClientError,
} from './index';
import { startTcpProxy } from './testing';
import { toTrpcUrl } from './core';

const env = useTestServer();

const password = 'correct horse battery';
const fastRetry = () => 50;

async function connect(username = uniqueName('c'), extra: Partial<Pick<ChatClientOptions, 'url' | 'WebSocket' | 'onError'>> = {}) {
  const client = await createChatClient({ url: env.server.url, username, password, signup: true, retryDelayMs: fastRetry, ...extra });
  env.keep(client);
  return client;
}

/** A tRPC client of its own, e.g. another session of the same token. */
const anonymous = (url: string, token?: string) =>
  createTRPCClient<AppRouter>({ links: [httpLink({ url: toTrpcUrl(url), headers: token ? { authorization: `Bearer ${token}` } : {} })] });

/** A WebSocket class that counts connection attempts and records the token each one sent. */
function watchSockets() {
  const seen = { attempts: 0, tokens: [] as string[] };
  class Watched extends NodeWebSocket {
    constructor(...args: ConstructorParameters<typeof NodeWebSocket>) {
      super(...args);
      seen.attempts++;
      const send = this.send.bind(this) as (data: unknown) => void;
      this.send = ((data: unknown) => {
        if (typeof data === 'string' && data.includes('"connectionParams"')) {
          const token = (JSON.parse(data) as { data?: { token?: string } }).data?.token;
          if (token) seen.tokens.push(token);
        }
        send(data);
      }) as NodeWebSocket['send'];
    }
  }
  return Object.assign(seen, { WebSocket: Watched as unknown as typeof WebSocket });
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
    const attempt = createChatClient({ url: env.server.url, username: me.username, password: 'not the password', signup: true });
    await expect(attempt).rejects.toBeInstanceOf(TRPCClientError);
    await expect(attempt).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
  });

  it('rejects a bad token once, with UNAUTHORIZED', async () => {
    const attempt = createChatClient({ url: env.server.url, token: 'not-a-token' });
    await expect(attempt).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
  });

  it('connects with a token it was given', async () => {
    const owner = await connect();
    const { token } = await owner.trpc.auth.login.mutate({ username: owner.me.username, password });
    const client = await createChatClient({ url: env.server.url, token, retryDelayMs: fastRetry });
    env.keep(client);
    expect(client.me.id).toBe(owner.me.id);
    expect(client.connectionState.get().state).toBe('connected');
  });

  it('rejects when the WebSocket cannot be opened in time, and leaves nothing retrying', async () => {
    // HTTP works (login), but this server has no /ws: the upgrade is answered 404.
    const { createServer, request } = await import('node:http');
    const httpOnly = createServer((req, res) => {
      const upstream = request({ host: '127.0.0.1', port: env.server.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
    });
    let upgrades = 0;
    httpOnly.on('upgrade', (_req, socket) => {
      upgrades++;
      // Node hands over an upgrade's socket with no error listener; the client resets the one it aborts on giving up.
      socket.on('error', () => {});
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
    });
    await new Promise<void>((resolve) => httpOnly.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(httpOnly.address() as { port: number }).port}`;
    try {
      // Attempts are counted where they are made: the server can see the last one, sent just before
      // the client gave up and aborted it, only after the rejection (one event-loop turn later).
      const sockets = watchSockets();
      const attempt = createChatClient({ url, username: uniqueName('nows'), password, signup: true, retryDelayMs: fastRetry, connectTimeoutMs: 500, WebSocket: sockets.WebSocket });
      await expect(attempt).rejects.toThrow(/No WebSocket connection to ws:\/\/127\.0\.0\.1:\d+\/ws within 500 ms/);
      expect(sockets.attempts).toBeGreaterThan(1);
      const attempts = sockets.attempts;
      await new Promise((r) => setTimeout(r, 300));
      expect(sockets.attempts).toBe(attempts);
      // And no socket but those reached the server.
      expect(upgrades).toBeGreaterThan(0);
      expect(upgrades).toBeLessThanOrEqual(attempts);
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

    await env.server.stop();
    await eventually(() => client.connectionState.get().state).toBe('reconnecting');
    await env.server.start();
    await eventually(() => client.connectionState.get().state, { timeout: 10_000 }).toBe('connected');

    await client.chat.send.mutate({ text: 'two' });
    await eventually(box.texts).toEqual(['one', 'two']);
    expect(states).toEqual(['connected', 'reconnecting', 'connected']);
  });

  it('resumes after the last message it saw, missing nothing sent while it was cut off', async () => {
    const proxy = await startTcpProxy(env.server.port);
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

describe('onEvent', () => {
  const messagesIn = (events: ChatStreamEvent[]) =>
    events.flatMap((e) => (e.type === 'message.created' ? [`${e.roomId === EVERYONE_ROOM_ID ? 'everyone' : 'room'}:${e.message.text}`] : []));

  it('carries every room the client is in on one stream, and resumes after a cut with nothing lost or doubled', async () => {
    const proxy = await startTcpProxy(env.server.port);
    try {
      const listener = await connect(uniqueName('ev'), { url: proxy.url });
      const sender = await connect();
      const room = await sender.room.create.mutate({ name: uniqueName('r'), kind: 'private' });
      const events: ChatStreamEvent[] = [];
      const subscription = listener.onEvent((e) => void events.push(e));
      await subscription.ready;

      await sender.room.invite.mutate({ roomId: room.id, userId: listener.me.id });
      await sender.chat.send.mutate({ roomId: room.id, text: 'live' });
      await eventually(() => messagesIn(events)).toEqual(['room:live']);
      expect(events.find((e) => e.type === 'room.joined')).toMatchObject({ roomId: room.id, user: { id: listener.me.id } });

      await proxy.cut();
      await eventually(() => listener.connectionState.get().state).toBe('reconnecting');
      await sender.chat.send.mutate({ roomId: room.id, text: 'cut 1' });
      await sender.chat.send.mutate({ text: 'cut 2' });
      await proxy.restore();

      await eventually(() => messagesIn(events), { timeout: 10_000 }).toEqual(['room:live', 'room:cut 1', 'everyone:cut 2']);
      const ids = events.flatMap((e) => ('eventId' in e ? [BigInt(e.eventId)] : []));
      expect(ids).toEqual([...new Set(ids)].sort((x, y) => (x < y ? -1 : 1)));
      expect(subscription.lastEventId).toBe(String(ids.at(-1)));
    } finally {
      await proxy.close();
    }
  });

  it('resumes from a saved lastEventId, as a restarted bot would', async () => {
    const client = await connect();
    const first = client.onEvent(() => undefined);
    await first.ready;
    await client.chat.send.mutate({ text: 'seen' });
    await eventually(() => first.lastEventId).not.toBeNull();
    const saved = first.lastEventId!;
    await first.unsubscribe();
    await client.chat.send.mutate({ text: 'while away' });

    const events: ChatStreamEvent[] = [];
    await client.onEvent((e) => void events.push(e), { after: saved }).ready;
    await eventually(() => messagesIn(events)).toEqual(['everyone:while away']);
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
  const shortLived = useTestServer({ jwtTtlSeconds: 3 });

  it('renews a bare token with auth.refresh across several lifetimes, missing no message', async () => {
    const { token } = await anonymous(shortLived.server.url).auth.signup.mutate({ username: uniqueName('bare'), password });
    const sockets = watchSockets();
    const errors: unknown[] = [];
    const client = await createChatClient({ url: shortLived.server.url, token, retryDelayMs: fastRetry, WebSocket: sockets.WebSocket, onError: (e) => errors.push(e) });
    shortLived.keep(client);
    const sender = await createChatClient({ url: shortLived.server.url, username: uniqueName('talk'), password, signup: true, retryDelayMs: fastRetry });
    shortLived.keep(sender);
    const box = inbox(client);
    await box.subscription.ready;

    // About three token lifetimes: the server closes each socket (4401) as its token runs out.
    const sent: string[] = [];
    for (const until = Date.now() + 9_000; Date.now() < until; ) {
      const text = `m${sent.length}`;
      await sender.chat.send.mutate({ text });
      sent.push(text);
      await new Promise((r) => setTimeout(r, 100));
    }

    await eventually(box.texts, { timeout: 10_000 }).toEqual(sent);
    const ids = box.messages.map((m) => BigInt(m.id));
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : 1)));
    expect(new Set(ids).size).toBe(sent.length);
    // Each reconnect sent a fresh token: only auth.refresh can give a bare-token client one.
    expect(sockets.tokens.length).toBeGreaterThanOrEqual(3);
    expect(new Set(sockets.tokens).size).toBe(sockets.tokens.length);
    expect(errors).toEqual([]);
    expect(client.connectionState.get().state).toBe('connected');
  });

  it('renews a token from credentials with auth.refresh, not by logging in again', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const calls = (procedure: string) => fetchSpy.mock.calls.filter(([url]) => String(url instanceof Request ? url.url : url).includes(procedure)).length;
    try {
      const sockets = watchSockets();
      const client = await createChatClient({ url: shortLived.server.url, username: uniqueName('renew'), password, signup: true, retryDelayMs: fastRetry, WebSocket: sockets.WebSocket });
      shortLived.keep(client);
      const box = inbox(client);
      await box.subscription.ready;
      await eventually(() => sockets.tokens.length, { timeout: 8_000 }).toBeGreaterThanOrEqual(3);
      await eventually(() => client.connectionState.get().state).toBe('connected');
      await client.chat.send.mutate({ text: 'still here' });
      await eventually(box.texts).toEqual(['still here']);
      expect(new Set(sockets.tokens).size).toBe(sockets.tokens.length);
      expect(calls('auth.refresh')).toBeGreaterThanOrEqual(2);
      // The first run signs up (a failed login, then signup); no login after that.
      expect(calls('auth.login')).toBe(1);
    } finally {
      fetchSpy.mockRestore();
    }
  });
});

describe('logout', () => {
  it('stops a bare-token client logged out from another session, reporting once and never reconnecting', async () => {
    const { token } = await anonymous(env.server.url).auth.signup.mutate({ username: uniqueName('out'), password });
    const sockets = watchSockets();
    const errors: unknown[] = [];
    const client = await createChatClient({ url: env.server.url, token, retryDelayMs: fastRetry, WebSocket: sockets.WebSocket, onError: (e) => errors.push(e) });
    env.keep(client);
    await inbox(client).subscription.ready;

    await anonymous(env.server.url, token).auth.logout.mutate();
    await eventually(() => client.connectionState.get().state).toBe('closed');
    await new Promise((r) => setTimeout(r, 500));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ data: { code: 'UNAUTHORIZED' } });
    expect(client.connectionState.get().error).toBe(errors[0]);
    expect(sockets.attempts).toBe(1);
  });

  it('logs a credentials client in again when its token is logged out elsewhere, and keeps delivering', async () => {
    const sockets = watchSockets();
    const errors: unknown[] = [];
    const client = await createChatClient({ url: env.server.url, username: uniqueName('back'), password, signup: true, retryDelayMs: fastRetry, WebSocket: sockets.WebSocket, onError: (e) => errors.push(e) });
    env.keep(client);
    const box = inbox(client);
    await box.subscription.ready;

    await anonymous(env.server.url, sockets.tokens[0]).auth.logout.mutate();
    await eventually(() => sockets.tokens.length).toBe(2);
    await eventually(() => client.connectionState.get().state).toBe('connected');
    await client.chat.send.mutate({ text: 'back again' });
    await eventually(box.texts).toEqual(['back again']);
    expect(sockets.tokens[1]).not.toBe(sockets.tokens[0]);
    expect(errors).toEqual([]);
  });

  it('ends quietly when it logs itself out', async () => {
    const sockets = watchSockets();
    const errors: unknown[] = [];
    const client = await connect(uniqueName('self'), { WebSocket: sockets.WebSocket, onError: (e) => errors.push(e) });
    await inbox(client).subscription.ready;
    await client.auth.logout.mutate();
    await eventually(() => client.connectionState.get()).toEqual({ state: 'closed', error: null });
    await new Promise((r) => setTimeout(r, 300));
    expect(sockets.attempts).toBe(1);
    expect(errors).toEqual([]);
  });

  it('ends quietly when it logs out everywhere, even with credentials to log in again', async () => {
    const sockets = watchSockets();
    const errors: unknown[] = [];
    const client = await connect(uniqueName('all'), { WebSocket: sockets.WebSocket, onError: (e) => errors.push(e) });
    await inbox(client).subscription.ready;
    expect(await client.auth.logoutEverywhere.mutate()).toEqual({ endedSessions: 1 });
    await eventually(() => client.connectionState.get()).toEqual({ state: 'closed', error: null });
    await new Promise((r) => setTimeout(r, 300));
    expect(sockets.attempts).toBe(1);
    expect(errors).toEqual([]);
  });
});
