import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { errorCode } from '../error-codes';
import { createOutbox } from './outbox';
import type { OutboxAction } from './outbox-item';
import { outboxVerdict } from './outbox-policy';
import { memoryOutboxStore } from './outbox-store';

const refusal = (code: string, message: string) => TRPCClientError.from({ error: { code: -32003, message, data: { code, httpStatus: 403 } } });
const send = (text: string, clientMessageId = text): OutboxAction => ({ kind: 'send', input: { roomId: '1', text, clientMessageId } });
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the outbox', () => {
  it('stops an item the server refuses for good, says why, and sends the ones behind it', async () => {
    const sent: string[] = [];
    const store = memoryOutboxStore();
    const outbox = createOutbox({
      store,
      newId: () => 'x',
      perform: (a) => {
        if (a.kind === 'send' && a.input.text === 'muted') return Promise.reject(refusal('FORBIDDEN', 'A moderator muted you until 10:00'));
        sent.push(a.kind === 'send' ? a.input.text : a.kind);
        return Promise.resolve({});
      },
    });
    await outbox.add(send('one'), '1');
    const { result } = await outbox.deliver(send('muted'), '1');
    const outcome = result.catch(errorCode);
    await outbox.add(send('three'), '1');
    await settle();
    expect(sent).toEqual(['one', 'three']);
    expect(await outcome).toBe('FORBIDDEN');
    expect(outbox.items().map((i) => [i.id, i.state])).toEqual([['muted', { status: 'failed', reason: 'A moderator muted you until 10:00. Discard it, or retry once that changes.' }]]);
    // Kept as failed across a reload, until discarded.
    const reloaded = createOutbox({ store, newId: () => 'y', perform: () => Promise.resolve({}), usable: false });
    await reloaded.ready;
    expect(reloaded.items().map((i) => i.state.status)).toEqual(['failed']);
    await reloaded.discard('muted');
    expect(store.size).toBe(0);
  });

  it('waits while the connection is unusable and sends the moment it is', async () => {
    const sent: string[] = [];
    const outbox = createOutbox({ store: memoryOutboxStore(), newId: () => 'x', usable: false, perform: (a) => (sent.push(a.kind), Promise.resolve({})) });
    await outbox.add(send('a'), '1');
    await settle();
    expect(sent).toEqual([]);
    expect(outbox.items()[0]?.state).toEqual({ status: 'pending' });
    outbox.setUsable(true);
    await settle();
    expect(sent).toEqual(['send']);
  });

  it('retries what the connection or a busy server caused, and stops what retrying cannot fix', () => {
    const no = () => 0;
    expect(outboxVerdict(TRPCClientError.from(new TypeError('fetch failed')), 0, no)).toEqual({ retryInMs: 500 });
    expect(outboxVerdict(TRPCClientError.from({ error: { code: -32029, message: 'slow', data: { code: 'TOO_MANY_REQUESTS', httpStatus: 429, retryAfterSeconds: 3 } } }), 0, no)).toEqual({ retryInMs: 3000 });
    expect(outboxVerdict(refusal('NOT_FOUND', 'Room not found'), 0, no)).toEqual({ stop: 'The room or message is gone, or you are no longer in the room. Discard it.' });
    expect(outboxVerdict(refusal('PAYLOAD_TOO_LARGE', 'big'), 0, no)).toEqual({ stop: 'Too long for the server. Copy it, shorten it and send again.' });
  });
});
