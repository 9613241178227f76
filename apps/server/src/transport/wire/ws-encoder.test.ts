import { jsonEncoder } from '@trpc/server/adapters/ws';
import { describe, expect, it } from 'vitest';
import { broadcastEncoder, deliverParsed, replyOf } from './ws-encoder';

const message = () => Object.freeze({ id: '42', text: 'hé "quoted" \u2028', createdAt: '2026-01-01T00:00:00.000Z', author: Object.freeze({ id: 'u1', username: 'ada' }), clientMessageId: null });
const frame = (subscriptionId: number | string, payload: object, jsonrpc?: '2.0') => ({ id: subscriptionId, jsonrpc, result: { type: 'data', data: { id: '42', data: payload }, id: '42' } });

describe('broadcastEncoder', () => {
  it('encodes a tracked subscription frame exactly as JSON.stringify does', () => {
    const payload = message();
    for (const f of [frame(1, payload), frame('sub-7', payload, '2.0'), { id: 3, result: { type: 'data', data: { id: '42', data: payload }, id: '42' } }]) {
      expect(broadcastEncoder.encode(f)).toBe(jsonEncoder.encode(f));
    }
  });

  it('encodes a message with the issue-15 fields (a reply, mentions) exactly as JSON.stringify does', () => {
    const payload = Object.freeze({
      ...message(),
      replyTo: { id: '41', author: { id: 'u2', username: 'bob' }, excerpt: 'earlier "one" \u2028', deleted: false },
      mentions: [{ id: 'u2', username: 'bob' }],
    });
    for (const f of [frame(1, payload), frame('sub-7', payload, '2.0')]) expect(broadcastEncoder.encode(f)).toBe(jsonEncoder.encode(f));
  });

  it('serialises a frozen payload once however many subscribers get it', () => {
    const payload = message();
    const spy = { calls: 0 };
    const original = JSON.stringify;
    JSON.stringify = ((...args: Parameters<typeof JSON.stringify>) => {
      if (args[0] === payload) spy.calls++;
      return original(...args);
    }) as typeof JSON.stringify;
    try {
      for (let i = 0; i < 100; i++) broadcastEncoder.encode(frame(i, payload));
    } finally {
      JSON.stringify = original;
    }
    expect(spy.calls).toBe(1);
  });

  it('never caches a payload that could change', () => {
    const payload: { id: string; text: string } = { id: '42', text: 'first' };
    expect(broadcastEncoder.encode(frame(1, payload))).toContain('first');
    payload.text = 'second';
    expect(broadcastEncoder.encode(frame(1, payload))).toContain('second');
  });

  it('leaves every other frame to JSON.stringify', () => {
    const others = [{ id: 1, result: { type: 'started' } }, { id: null, method: 'reconnect' }, { id: 2, result: { type: 'data', data: { ok: true } } }, { id: 1, error: { message: 'x' } }];
    for (const f of others) expect(broadcastEncoder.encode(f)).toBe(JSON.stringify(f));
  });

  it('decodes the frame being delivered to the value the gate parsed, and parses any other frame itself', () => {
    const text = '{"id":1,"method":"query","params":{"path":"auth.me"}}';
    const value = JSON.parse(text) as unknown;
    const seen: unknown[] = [];
    deliverParsed((frame) => seen.push(broadcastEncoder.decode(frame.toString('utf8')), broadcastEncoder.decode(text)), Buffer.from(text), text, value);
    // Handed over once, by identity; a second decode of the same text in that turn is a parse of its own.
    expect(seen[0]).toBe(value);
    expect(seen[1]).not.toBe(value);
    expect(seen[1]).toEqual(value);
    expect(broadcastEncoder.decode(text)).not.toBe(value);
  });

  it("reads a reply's fields off the reply just encoded, for that text only", () => {
    const stopped = { id: 'sub-1', result: { type: 'stopped' } };
    const text = broadcastEncoder.encode(stopped);
    expect(replyOf('PING')).toBeNull();
    expect(replyOf(text)).toBe(stopped);
    // Read once: a frame sent again without being encoded again is not taken for the adapter's reply.
    expect(replyOf(text)).toBeNull();
    broadcastEncoder.encode({ id: null, method: 'reconnect' });
    expect(replyOf('{"id":null,"method":"reconnect"}')).toBeNull();
  });
});
