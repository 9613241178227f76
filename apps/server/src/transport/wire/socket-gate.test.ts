import { describe, expect, it } from 'vitest';
import { SocketGate } from './socket-gate';
import type { Reply } from './trpc-frames';

const limits = { maxBatch: 4, maxSubscriptions: 2, maxIdLength: 16 };
const frame = (value: unknown) => Buffer.from(JSON.stringify(value));
const subscribe = (id: number | string) => ({ id, method: 'subscription', params: { path: 'chat.onEvent', input: {} } });

describe('SocketGate', () => {
  it('hands on what it parsed: the text, the JSON value and the checked calls, for the lane and the adapter', () => {
    const gate = new SocketGate(limits, false);
    const raw = frame([subscribe(1), { id: 2, method: 'query', params: { path: 'auth.me' } }]);
    const { forward, refusals, parsed } = gate.admit(raw, false);
    expect(forward).toBe(raw);
    expect(refusals).toEqual([]);
    expect(parsed?.text).toBe(raw.toString('utf8'));
    expect(parsed?.value).toEqual(JSON.parse(raw.toString('utf8')));
    expect(parsed?.calls.map((c) => [c.id, c.method])).toEqual([
      [1, 'subscription'],
      [2, 'query'],
    ]);
  });

  it('parses nothing it passes on unread: connectionParams, PING, malformed frames', () => {
    const gate = new SocketGate(limits, true);
    expect(gate.admit(frame({ method: 'connectionParams', data: { token: 't' } }), false).parsed).toBeNull();
    expect(gate.admit(Buffer.from('PING'), false).parsed).toBeNull();
    expect(gate.admit(Buffer.from('{nope'), false).parsed).toBeNull();
    expect(gate.admit(frame([subscribe(1), { id: 2, method: 'nope' }]), false).parsed).toBeNull();
  });

  it('forwards a frame without its refused calls, with their parsed value', () => {
    const gate = new SocketGate(limits, false);
    const { forward, refusals, parsed } = gate.admit(frame([subscribe(1), subscribe('a b'), subscribe(2), subscribe(3)]), false);
    expect(refusals).toHaveLength(2); // the bad id, and the third subscription
    expect(JSON.parse(forward!.toString('utf8'))).toEqual([subscribe(1), subscribe(2)]);
    expect(parsed?.text).toBe(forward!.toString('utf8'));
    expect(parsed?.calls.map((c) => c.id)).toEqual([1, 2]);
  });

  it("frees a subscription's slot on its error or stopped reply, read by field, and only for its own id", () => {
    const gate = new SocketGate(limits, false);
    gate.admit(frame([subscribe(1), subscribe('1')]), false);
    expect(gate.openSubscriptions).toBe(2);
    const replies: Reply[] = [
      { id: 1, result: { type: 'started' } },
      { id: 1, result: { type: 'data', data: { stopped: true } } },
      { id: '2', result: { type: 'stopped' } },
    ];
    for (const reply of replies) gate.sent(reply);
    expect(gate.openSubscriptions).toBe(2);
    gate.sent({ id: 1, result: { type: 'stopped' } });
    expect(gate.openSubscriptions).toBe(1);
    gate.sent({ id: '1', error: { code: -32600, message: 'x', data: {} } } as Reply);
    expect(gate.openSubscriptions).toBe(0);
    expect(gate.admit(frame(subscribe(1)), false).refusals).toEqual([]);
  });
});
