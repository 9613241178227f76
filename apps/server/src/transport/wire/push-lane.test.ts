import { onEventInput, onMessageInput } from '@chat/api/schemas';
import { afterAll, beforeAll, expect, inject, it, onTestFinished } from 'vitest';
import { WebSocket } from 'ws';
import { signUpClient } from '../../testing/test-client';
import { startTestServer, type TestServer } from '../../testing/testing';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl') });
});
afterAll(() => server?.dispose());

/** A raw socket that authenticates, sends `subscribe` frames, and records every data frame as text. */
async function rawSubscriber(token: string, subscribe: object[]) {
  const frames: string[] = [];
  const socket = new WebSocket(`${server.wsUrl}?connectionParams=1`);
  await new Promise((r) => socket.on('open', r));
  socket.on('message', (data) => {
    const text = String(data);
    if (text.includes('"type":"data"')) frames.push(text);
  });
  socket.send(JSON.stringify({ method: 'connectionParams', data: { token } }));
  for (const frame of subscribe) socket.send(JSON.stringify(frame));
  return { frames, socket };
}

const subscribe = (id: number, input: object = {}) => ({ id, method: 'subscription', params: { path: 'chat.onMessage', input } });

it('writes live messages as the very frames the tRPC adapter writes', async () => {
  const { token, client } = await signUpClient(server);
  // One subscription: its live messages take the push lane.
  const fast = await rawSubscriber(token, [subscribe(7)]);
  // Two look-alike subscriptions on one socket cannot be told apart: both take the adapter's iterator.
  const slow = await rawSubscriber(token, [subscribe(7), subscribe(8)]);
  await new Promise((r) => setTimeout(r, 300));
  const sent = [await client.trpc.chat.send.mutate({ text: 'plain' }), await client.trpc.chat.send.mutate({ text: '"quotes" \\ <b> 🔥\nline' })];
  await expect.poll(() => fast.frames.length).toBe(2);
  await expect.poll(() => slow.frames.length).toBe(4);
  expect(fast.frames).toEqual(slow.frames.filter((f) => f.startsWith('{"id":7,')));
  expect(JSON.parse(fast.frames[1]!)).toEqual({ id: 7, result: { type: 'data', id: sent[1]!.id, data: { id: sent[1]!.id, data: sent[1] } } });
  fast.socket.close();
  slow.socket.close();
});

it('writes a reply that mentions someone (the issue-15 fields) as the adapter does too, and a plain message without them', async () => {
  const { token, client, user } = await signUpClient(server);
  const fast = await rawSubscriber(token, [subscribe(7)]);
  const slow = await rawSubscriber(token, [subscribe(7), subscribe(8)]);
  await new Promise((r) => setTimeout(r, 300));
  const plain = await client.trpc.chat.send.mutate({ text: 'plain' });
  const reply = await client.trpc.chat.send.mutate({ text: `@${user.username} answering\nyou`, replyTo: plain.id });
  await expect.poll(() => fast.frames.length).toBe(2);
  await expect.poll(() => slow.frames.length).toBe(4);
  expect(fast.frames).toEqual(slow.frames.filter((f) => f.startsWith('{"id":7,')));
  expect(fast.frames[0]).toBe(`{"id":7,"result":{"type":"data","data":{"id":"${plain.id}","data":${JSON.stringify(plain)}},"id":"${plain.id}"}}`);
  expect(Object.keys(plain)).toEqual(['id', 'text', 'createdAt', 'author', 'clientMessageId']);
  expect(JSON.parse(fast.frames[1]!).result.data.data).toEqual(reply);
  expect(reply).toMatchObject({ replyTo: { id: plain.id, excerpt: 'plain', deleted: false }, mentions: [{ id: user.id, username: user.username }] });
  fast.socket.close();
  slow.socket.close();
});

it('stops writing once the subscription is stopped', async () => {
  const { token, client } = await signUpClient(server);
  const sub = await rawSubscriber(token, [subscribe(1)]);
  await new Promise((r) => setTimeout(r, 300));
  await client.trpc.chat.send.mutate({ text: 'one' });
  await expect.poll(() => sub.frames.length).toBe(1);
  sub.socket.send(JSON.stringify({ id: 1, method: 'subscription.stop' }));
  await new Promise((r) => setTimeout(r, 200));
  await client.trpc.chat.send.mutate({ text: 'two' });
  await new Promise((r) => setTimeout(r, 300));
  expect(sub.frames).toHaveLength(1);
  sub.socket.close();
});

it('survives malformed subscription inputs: each is refused, and a good subscription on the socket still receives', async () => {
  const { token, client } = await signUpClient(server);
  const errors: string[] = [];
  const sub = await rawSubscriber(token, [
    subscribe(1, { lastEventId: 'DROP TABLE' }),
    { id: 2, method: 'subscription', params: { path: 'chat.onMessage', input: {}, lastEventId: { not: 'a string' } } },
    subscribe(3, { roomId: 'not-a-uuid' }),
    subscribe(4),
  ]);
  sub.socket.on('message', (data) => {
    const text = String(data);
    if (text.includes('"error"')) errors.push(text);
  });
  await new Promise((r) => setTimeout(r, 300));
  await client.trpc.chat.send.mutate({ text: 'still here' });
  await expect.poll(() => sub.frames.length).toBe(1);
  expect(sub.frames[0]).toContain('"id":4,');
  // The adapter refuses a non-string top-level lastEventId as a malformed frame (no id).
  expect(errors.map((e) => (JSON.parse(e) as { id: number; error: { data: { code: string } } })).map((e) => `${e.id}:${e.error.data.code}`).sort()).toEqual([
    '1:BAD_REQUEST',
    '3:BAD_REQUEST',
    'null:PARSE_ERROR',
  ]);
  expect(sub.socket.readyState).toBe(WebSocket.OPEN);
  sub.socket.close();
});

it("parses a subscription frame once (the gate's parse serves the lane and the adapter) and leaves its input's check to the procedure", async () => {
  const { token, client } = await signUpClient(server);
  const frames = [subscribe(31), { id: 32, method: 'subscription', params: { path: 'chat.onEvent', input: {} } }].map((f) => JSON.stringify(f));
  const parses = new Map<string, number>();
  const parse = JSON.parse;
  JSON.parse = ((text: string, ...rest: []) => {
    if (frames.includes(text)) parses.set(text, (parses.get(text) ?? 0) + 1);
    return parse(text, ...rest);
  }) as typeof JSON.parse;
  let laneChecks = 0;
  const checked = [onMessageInput, onEventInput] as unknown as { safeParse: (...args: unknown[]) => unknown }[];
  const originals = checked.map((schema) => schema.safeParse);
  checked.forEach((schema, i) => {
    schema.safeParse = (...args: unknown[]) => {
      laneChecks++;
      return originals[i]!.apply(schema, args);
    };
  });
  onTestFinished(() => {
    JSON.parse = parse;
    checked.forEach((schema, i) => (schema.safeParse = originals[i]!));
  });
  const sub = await rawSubscriber(token, []);
  const started: string[] = [];
  sub.socket.on('message', (data) => {
    const text = String(data);
    if (text.includes('"started"')) started.push(text);
  });
  for (const frame of frames) sub.socket.send(frame);
  await expect.poll(() => started.length).toBe(2);
  expect([...parses.values()]).toEqual([1, 1]);
  expect(laneChecks).toBe(0);
  await client.trpc.chat.send.mutate({ text: 'after one parse' });
  await expect.poll(() => sub.frames.filter((f) => f.startsWith('{"id":31,')).length).toBe(1);
  sub.socket.close();
});
