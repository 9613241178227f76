import { once } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { sendFrame, textFrame } from './ws-frame';

let server: WebSocketServer | null = null;
afterEach(async () => {
  for (const client of server?.clients ?? []) client.terminate();
  await new Promise((resolve) => server?.close(resolve));
  server = null;
});

/** A real server socket and a real client receiving from it. */
async function pair() {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const [serverSide] = (await once(server, 'connection')) as [WebSocket];
  await once(client, 'open');
  const received: string[] = [];
  client.on('message', (data, isBinary) => received.push(isBinary ? '(binary)' : data.toString()));
  return { serverSide, client, received };
}

it('delivers pre-built frames of every length class intact, in order with ordinary sends', async () => {
  const { serverSide, received } = await pair();
  // Around the 7-bit, 16-bit and 64-bit length boundaries, with multi-byte characters.
  const texts = ['', 'x', 'é'.repeat(62) + 'x', 'y'.repeat(126), 'z'.repeat(65_535), '😀'.repeat(16_384), 'w'.repeat(70_000)];
  const expected: string[] = [];
  texts.forEach((text, i) => {
    sendFrame(serverSide, textFrame(text), () => text);
    serverSide.send(`plain ${i}`);
    expected.push(text, `plain ${i}`);
  });
  await expect.poll(() => received.length).toBe(expected.length);
  expect(received).toEqual(expected);
});

it('sends one frame to many sockets without rebuilding it', async () => {
  const { serverSide, received } = await pair();
  const frame = textFrame('{"hello":"world"}');
  const copy = Buffer.from(frame);
  for (let i = 0; i < 3; i++) sendFrame(serverSide, frame, () => 'unused');
  await expect.poll(() => received.length).toBe(3);
  expect(received).toEqual(Array(3).fill('{"hello":"world"}'));
  expect(frame.equals(copy)).toBe(true);
});

it('holds a socket\'s frames until the end of the event-loop turn, then writes them together', async () => {
  const { serverSide, received } = await pair();
  const raw = (serverSide as unknown as { _socket: Socket })._socket;
  for (let i = 0; i < 3; i++) sendFrame(serverSide, textFrame(`m${i}`), () => `m${i}`);
  expect(raw.writableCorked).toBe(1);
  expect(raw.writableLength).toBeGreaterThan(0);
  await new Promise((resolve) => setImmediate(resolve));
  expect(raw.writableCorked).toBe(0);
  await expect.poll(() => received).toEqual(['m0', 'm1', 'm2']);
});

it('leaves a frame to ws\'s own queue while ws has something queued, so it cannot overtake', async () => {
  const { serverSide, received } = await pair();
  const sender = (serverSide as unknown as { _sender: { _state: number; _queue: unknown[]; dequeue(): void } })._sender;
  sender._state = 1; // what ws sets while it compresses a message or reads a Blob
  serverSide.send('queued first');
  sendFrame(serverSide, textFrame('written directly?'), () => 'queued second');
  expect(sender._queue).toHaveLength(2);
  sender._state = 0;
  sender.dequeue();
  await expect.poll(() => received).toEqual(['queued first', 'queued second']);
});
