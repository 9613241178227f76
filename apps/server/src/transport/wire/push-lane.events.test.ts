import type { AppRouter, ChatEvent, EventWriter } from '@chat/api';
import { createTRPCClient, createWSClient, wsLink } from '@trpc/client';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, expect, inject, it, onTestFinished } from 'vitest';
import { WebSocket } from 'ws';
import { openStalledSocket } from '../../testing/stalled-socket';
import { createTestClient, liveSocket, signUpClient } from '../../testing/test-client';
import { LIMITS } from '../chat-server';
import { startTestServer, type TestServer } from '../../testing/testing';

// chat.onEvent's push lane (docs/decisions/120-event-push-lane.md): same frames as the adapter, same resume, no leaks.

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Each claim of the lane, seen through the real fast path: whether it gave a writer, and what went through it. */
interface Claim {
  lastEventId: string | null;
  writer: WeakRef<EventWriter> | null;
  writes: number;
}
const claims: Claim[] = [];

/** Records the claims of `target`'s chat.onEvent subscriptions into `into`, passing the real writers through. */
function watchClaims(target: TestServer, into: Claim[]) {
  // A spy on the port's method (the port itself is built with the deps and never replaced).
  const port = target.deps.pushLane;
  const claimEvents = port.claimEvents.bind(port);
  Object.assign(port, {
    claimEvents(connectionId: string, lastEventId: string | null) {
      const writer = claimEvents(connectionId, lastEventId);
      const claim: Claim = { lastEventId, writer: null, writes: 0 };
      into.push(claim);
      if (!writer) return null;
      // With the writer's keep: the lane then holds the subscription after the hand-over, as in production.
      const counted: EventWriter = {
        write(item) {
          claim.writes++;
          return writer.write(item);
        },
        keep: writer.keep?.bind(writer),
      };
      claim.writer = new WeakRef(counted);
      return counted;
    },
  });
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl') });
  watchClaims(server, claims);
});
afterAll(() => server?.dispose());

const settle = () => new Promise((r) => setTimeout(r, 300));

/** A raw socket that authenticates, sends `subscribe` frames, and records every data frame as text. */
async function rawSubscriber(token: string, subscribe: object[]) {
  const frames: string[] = [];
  const errors: string[] = [];
  const socket = new WebSocket(`${server.wsUrl}?connectionParams=1`);
  await new Promise((r) => socket.on('open', r));
  socket.on('message', (data) => {
    const text = String(data);
    if (text.includes('"type":"data"')) frames.push(text);
    if (text.includes('"error"')) errors.push(text);
  });
  socket.send(JSON.stringify({ method: 'connectionParams', data: { token } }));
  for (const frame of subscribe) socket.send(JSON.stringify(frame));
  return { frames, errors, socket };
}

const onEvent = (id: number | string, params: object = {}, jsonrpc?: '2.0') => ({ id, ...(jsonrpc ? { jsonrpc } : {}), method: 'subscription', params: { path: 'chat.onEvent', ...params } });

it('writes every kind of live event as the very frames the tRPC adapter writes, ephemeral ones with the last durable cursor', async () => {
  const viewer = await signUpClient(server);
  const actor = await signUpClient(server);
  // Signed up before the streams start (a sign-up is slow under load, and typing expires in 5 s); it comes online later.
  const newcomer = await signUpClient(server);
  const { cursor } = await viewer.client.trpc.chat.eventCursor.query();
  const claimed = claims.length;
  // One subscription per socket takes the lane, by input or by wsLink's top-level lastEventId...
  const fast = await rawSubscriber(viewer.token, [onEvent(7)]);
  const resumed = await rawSubscriber(viewer.token, [onEvent('r1', { lastEventId: cursor }, '2.0')]);
  // ...two look-alike subscriptions on one socket cannot be told apart: both take the adapter's iterator.
  const slow = await rawSubscriber(viewer.token, [onEvent(7), onEvent(8)]);
  await settle();
  expect(claims.slice(claimed).map((c) => [c.lastEventId, c.writer !== null])).toEqual(
    expect.arrayContaining([
      [null, true],
      [cursor, true],
      [null, false],
      [null, false],
    ]),
  );
  // The presence snapshots were taken at different moments; compare from here on, once every
  // subscription has had its own (a late one on a busy machine would otherwise count as live).
  const snapshots = (frames: string[]) => frames.filter((f) => f.includes('"type":"presence.snapshot"')).length;
  await expect.poll(() => [fast, resumed, slow].map((s) => snapshots(s.frames))).toEqual([1, 1, 2]);
  for (const s of [fast, resumed, slow]) s.frames.length = 0;

  const channel = await actor.client.trpc.room.create.mutate({ name: `lane-${Date.now().toString(36)}`, kind: 'channel' });
  await viewer.client.trpc.room.join.mutate({ roomId: channel.id });
  const sent = await actor.client.trpc.chat.send.mutate({ roomId: channel.id, text: '"quotes" \\ <b> 🔥\nline' });
  await actor.client.trpc.chat.edit.mutate({ messageId: sent.id, text: 'edited' });
  await actor.client.trpc.chat.react.mutate({ messageId: sent.id, emoji: '👍', on: true });
  await actor.client.trpc.chat.typing.mutate({ roomId: channel.id, typing: true });
  await actor.client.trpc.room.openDirect.mutate({ userId: viewer.user.id });
  await viewer.client.trpc.room.markRead.mutate({ roomId: channel.id, messageId: sent.id });
  const types = (frames: string[]) => frames.map((f) => (JSON.parse(f) as { result: { data: { data: ChatEvent } } }).result.data.data.type);
  // The newcomer comes online; its presence arrives before the deletion that follows it.
  const other = liveSocket(server, newcomer.token);
  await expect.poll(() => types(fast.frames).includes('presence.changed')).toBe(true);
  await actor.client.trpc.chat.delete.mutate({ messageId: sent.id });
  // Typing stops: said here, or by its 5 s expiry if a loaded machine got here later; one event either way.
  await actor.client.trpc.chat.typing.mutate({ roomId: channel.id, typing: false });

  const expected = ['room.joined', 'message.created', 'message.edited', 'reaction.changed', 'typing', 'room.joined', 'read.updated', 'presence.changed', 'message.deleted', 'typing'];
  await expect.poll(() => types(fast.frames)).toEqual(expected);
  await expect.poll(() => slow.frames.length).toBe(2 * expected.length);
  await expect.poll(() => resumed.frames.length).toBe(expected.length);
  const slowFrames = slow.frames.filter((f) => f.startsWith('{"id":7,'));
  expect(fast.frames).toEqual(slowFrames);
  expect(resumed.frames).toEqual(slowFrames.map((f) => f.replace('{"id":7,', '{"id":"r1","jsonrpc":"2.0",')));
  // The lane wrote them: each item once per claimed subscription.
  expect(claims.slice(claimed).map((c) => c.writes).filter((n) => n > 0)).toEqual([expected.length, expected.length]);

  const items = fast.frames.map((f) => (JSON.parse(f) as { result: { id: string; data: { id: string; data: ChatEvent } } }).result);
  const created = items[1]!;
  expect(created.data).toEqual({ id: created.id, data: { type: 'message.created', eventId: created.id, roomId: channel.id, message: { ...sent, roomId: channel.id } } });
  // Typing is ephemeral: it carries the cursor of the last durable event before it, the reaction.
  expect(items[4]!.id).toBe(items[3]!.id);
  expect(items[4]!.data.data).toEqual({ type: 'typing', roomId: channel.id, user: { id: actor.user.id, username: actor.user.username }, typing: true });
  // A DM is named after the other member: the viewer's view, not a copy shared with the actor.
  expect(items[5]!.data.data).toMatchObject({ type: 'room.joined', room: { kind: 'dm', name: actor.user.username } });

  await other.close();
  for (const s of [fast, resumed, slow]) s.socket.close();
});

it('gives the real client typed items and resumes by lastEventId through the lane, without loss or duplicates', async () => {
  const reader = await signUpClient(server);
  const sender = await signUpClient(server);
  const sockets: WebSocket[] = [];
  class RecordedWebSocket extends WebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      sockets.push(this);
    }
  }
  const ws = createWSClient({
    WebSocket: RecordedWebSocket as unknown as typeof globalThis.WebSocket,
    url: server.wsUrl,
    connectionParams: () => ({ token: reader.token }),
    // Long enough to send what the reader will have missed while it is away.
    retryDelayMs: () => 1_000,
  });
  const trpc = createTRPCClient<AppRouter>({ links: [wsLink({ client: ws })] });
  const items: { id: string; data: ChatEvent }[] = [];
  const sub = trpc.chat.onEvent.subscribe(undefined, { onData: (item) => items.push({ id: item.id, data: item.data }) });
  const texts = () => items.flatMap(({ id, data }) => (data.type === 'message.created' && data.eventId === id ? [data.message.text] : []));
  const claimed = claims.length;
  await settle();
  await sender.client.trpc.chat.send.mutate({ text: 'live 1' });
  await expect.poll(texts).toEqual(['live 1']);
  const lastEventId = items.at(-1)!.id;

  sockets.at(-1)!.terminate();
  await sender.client.trpc.chat.send.mutate({ text: 'missed 1' });
  await sender.client.trpc.chat.send.mutate({ text: 'missed 2' });
  await expect.poll(texts, { timeout: 5_000 }).toEqual(['live 1', 'missed 1', 'missed 2']);
  await sender.client.trpc.chat.send.mutate({ text: 'live 2' });
  await expect.poll(texts).toEqual(['live 1', 'missed 1', 'missed 2', 'live 2']);
  // Both subscriptions took the lane: the first from now, the second from the cursor it had.
  expect(claims.slice(claimed).map((c) => [c.lastEventId, c.writer !== null])).toEqual([
    [null, true],
    [lastEventId, true],
  ]);
  expect(claims.at(-1)!.writes).toBeGreaterThanOrEqual(1);
  expect(sockets).toHaveLength(2);
  sub.unsubscribe();
  await ws.close();
});

it('writes nothing once the subscription is stopped, and answers the stop as the adapter does', async () => {
  const { token, client } = await signUpClient(server);
  const claimed = claims.length;
  const sub = await rawSubscriber(token, [onEvent(1)]);
  const replies: string[] = [];
  sub.socket.on('message', (data) => replies.push(String(data)));
  await settle();
  await client.trpc.chat.send.mutate({ text: 'one' });
  // Presence changes of earlier tests' users may come too: count what this test sends.
  await expect.poll(() => sub.frames.filter((f) => f.includes('"text":"one"')).length).toBe(1);
  expect(claims[claimed]!.writes).toBeGreaterThanOrEqual(1);
  // The adapter's iterator ended at the hand-over; its `stopped` was withheld until now.
  expect(replies.filter((r) => r.includes('"stopped"'))).toEqual([]);
  sub.socket.send(JSON.stringify({ id: 1, method: 'subscription.stop' }));
  await settle();
  expect(replies.filter((r) => r.includes('"stopped"'))).toEqual(['{"id":1,"result":{"type":"stopped"}}']);
  const frames = sub.frames.length;
  const writes = claims[claimed]!.writes;
  await client.trpc.chat.send.mutate({ text: 'two' });
  await client.trpc.chat.typing.mutate({ typing: true });
  await settle();
  expect(sub.frames).toHaveLength(frames);
  expect(claims[claimed]!.writes).toBe(writes);
  sub.socket.close();
});

it('still counts the subscriptions the lane holds against the socket, and frees a slot only when one is stopped', async () => {
  const { token } = await signUpClient(server);
  const claimed = claims.length;
  const max = LIMITS.maxSubscriptionsPerSocket;
  // Distinct cursors, so each one can be told apart and takes the lane.
  const sub = await rawSubscriber(token, Array.from({ length: max + 1 }, (_, i) => onEvent(i + 1, { lastEventId: String(i + 1) })));
  const replies: { id: number; result?: { type: string }; error?: { data: { code: string } } }[] = [];
  sub.socket.on('message', (data) => replies.push(JSON.parse(String(data)) as (typeof replies)[number]));
  await expect.poll(() => claims.slice(claimed).filter((c) => c.writer !== null).length).toBe(max);
  await expect.poll(() => sub.errors.length).toBe(1);
  expect(sub.errors[0]).toMatch(new RegExp(`^\\{"id":${max + 1},.*"TOO_MANY_REQUESTS"`));
  await settle();
  // The adapter's iterators ended at the hand-over, and their `stopped` frames were withheld: the gate still counts them.
  expect(replies.filter((r) => r.result?.type === 'stopped')).toEqual([]);
  sub.socket.send(JSON.stringify(onEvent(max + 2, { lastEventId: '100' })));
  await expect.poll(() => sub.errors.length).toBe(2);
  sub.socket.send(JSON.stringify({ id: 3, method: 'subscription.stop' }));
  await expect.poll(() => replies.filter((r) => r.result?.type === 'stopped').map((r) => r.id)).toEqual([3]);
  sub.socket.send(JSON.stringify(onEvent(max + 3, { lastEventId: '101' })));
  await expect.poll(() => replies.some((r) => r.id === max + 3 && r.result?.type === 'started')).toBe(true);
  sub.socket.send(JSON.stringify(onEvent(max + 4, { lastEventId: '102' })));
  await expect.poll(() => sub.errors.length).toBe(3);
  sub.socket.close();
});

it('survives malformed onEvent inputs: none claims, each is refused, and a good subscription on the socket still takes the lane', async () => {
  const { token, client } = await signUpClient(server);
  const claimed = claims.length;
  const sub = await rawSubscriber(token, [
    onEvent(1, { input: { lastEventId: 'DROP TABLE' } }),
    onEvent(2, { input: { lastEventId: '5', extra: true } }),
    onEvent(3, { input: 'a string', lastEventId: '5' }),
    onEvent(4, { input: ['an', 'array'], lastEventId: '5' }),
    onEvent(5, { input: {}, lastEventId: { not: 'a string' } }),
    onEvent(6),
  ]);
  await settle();
  sub.frames.length = 0;
  await client.trpc.chat.send.mutate({ text: 'still here' });
  // Only the message: earlier tests' users going offline may still reach this stream as presence.
  const messages = () => sub.frames.filter((f) => f.includes('"message.created"'));
  await expect.poll(() => messages().length).toBe(1);
  expect(messages()[0]).toMatch(/^\{"id":6,/);
  expect(claims.slice(claimed).map((c) => [c.lastEventId, c.writer !== null])).toEqual([[null, true]]);
  expect(claims[claimed]!.writes).toBeGreaterThanOrEqual(1);
  const refused = sub.errors.map((e) => JSON.parse(e) as { id: number | null; error: { data: { code: string } } });
  expect(refused.map((e) => `${e.id}:${e.error.data.code}`).sort()).toEqual(['1:BAD_REQUEST', '2:BAD_REQUEST', '3:BAD_REQUEST', '4:BAD_REQUEST', 'null:PARSE_ERROR']);
  expect(sub.socket.readyState).toBe(WebSocket.OPEN);
  sub.socket.close();
});

it('leaves nothing behind: stopped, closed and logged-out streams release their sink and writer', async () => {
  const { token, client, user } = await signUpClient(server);
  const claimed = claims.length;
  // The dispatcher's sinks of this user, watched through its own register and unregister.
  const dispatcher = server.deps.dispatcher;
  const { register, unregister } = dispatcher;
  const sinks = new Set<ReturnType<typeof register>>();
  let registered = 0;
  dispatcher.register = (handle) => {
    const sink = register(handle);
    if (sink.userId === user.id) {
      sinks.add(sink);
      registered++;
    }
    return sink;
  };
  dispatcher.unregister = (sink) => {
    sinks.delete(sink);
    unregister(sink);
  };
  onTestFinished(() => {
    dispatcher.register = register;
    dispatcher.unregister = unregister;
  });
  const firstItem = (c: typeof client) =>
    new Promise<() => void>((resolve, reject) => {
      const sub = c.trpc.chat.onEvent.subscribe(undefined, { onData: () => resolve(() => sub.unsubscribe()), onError: reject });
    });
  // Stopped: many subscriptions, one after another, on one socket.
  for (let i = 0; i < 100; i++) (await firstItem(client))();
  // Closed: sockets that end with their subscription open.
  for (let i = 0; i < 10; i++) {
    const other = createTestClient(server, token);
    await firstItem(other);
    await other.close();
  }
  // Logged out: the session's sockets are closed by the server.
  const last = createTestClient(server, token);
  await firstItem(last);
  await settle();
  await client.trpc.auth.logout.mutate();
  await client.close();

  const ours = claims.slice(claimed);
  expect(ours).toHaveLength(111);
  expect(ours.every((c) => c.writer !== null)).toBe(true);
  expect(registered).toBe(111);
  await expect.poll(() => sinks.size).toBe(0);
  // A writer is reachable only from its stream's dispatcher sink and HandOffStream: collected, both are gone.
  await expect
    .poll(
      () => {
        gc();
        return ours.filter((c) => c.writer!.deref() !== undefined).length;
      },
      { timeout: 5_000 },
    )
    .toBe(0);
  await last.close();
});


it('cuts off a stalled reader on the lane once its unsent bytes pass the limit, while a reading one gets everything', async () => {
  const local = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), slowConsumerBytes: 1024 * 1024 });
  const localClaims: Claim[] = [];
  watchClaims(local, localClaims);
  try {
    const writer = await signUpClient(local, 'bulk');
    const reader = await signUpClient(local, 'reader');
    const stalledAuth = await signUpClient(local, 'stalled');
    const received = new Set<string>();
    const sub = reader.client.trpc.chat.onEvent.subscribe(undefined, {
      onData: ({ data }) => void (data.type === 'message.created' && data.message.author.id === writer.user.id && received.add(data.message.id)),
    });
    // The reader's claim first, so the second is the stalled socket's (a loaded CI once swapped them).
    await expect.poll(() => localClaims.length).toBe(1);
    const stalled = await openStalledSocket(local.port, [
      JSON.stringify({ method: 'connectionParams', data: { token: stalledAuth.token } }),
      JSON.stringify({ id: 1, method: 'subscription', params: { path: 'chat.onEvent' } }),
    ]);
    const stalledClosed = new Promise<void>((resolve) => stalled.on('close', () => resolve()));
    await settle();
    expect(localClaims.map((c) => c.writer !== null)).toEqual([true, true]);
    const stalledClaim = localClaims[1]!;

    // 8 KB of JSON per message: enough to fill the kernel's buffers, then the server's 1 MiB.
    const big = '🔥'.repeat(1990);
    let sent = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        // Until the stalled stream has missed 100 messages: it was cut off (the socket's close stopped its writer).
        while (sent - stalledClaim.writes < 100 && sent < 4000) {
          sent++;
          await writer.client.trpc.chat.send.mutate({ text: `${sent} ${big}` });
        }
      }),
    );
    expect(sent - stalledClaim.writes).toBeGreaterThanOrEqual(100);
    const writes = stalledClaim.writes;
    await writer.client.trpc.chat.send.mutate({ text: 'after the cut' });
    await expect.poll(() => received.size, { timeout: 30_000 }).toBe(sent + 1);
    expect(stalledClaim.writes).toBe(writes);
    // A paused socket notices nothing; reading again shows the server hung up on it.
    stalled.resume();
    await stalledClosed;
    sub.unsubscribe();
    await reader.client.close();
  } finally {
    await local.dispose();
  }
}, 60_000);
