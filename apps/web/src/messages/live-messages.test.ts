import { describe, expect, it } from 'vitest';
import type { OutboxItem } from '@chat/client/core';
import { emptyLiveState, isChange, liveReducer, type LiveAction, type LiveState, pendingOf } from './live-messages';
import { msg } from './test-messages';

const run = (...actions: LiveAction[]): LiveState => actions.reduce(liveReducer, emptyLiveState);
const me = { id: 'u-me', username: 'me' };

describe('liveReducer', () => {
  it('merges a message that arrives twice (the answer and the echo) into one', () => {
    const confirmed = msg('5', { author: me, clientMessageId: 'c1' });
    const state = run({ type: 'received', message: confirmed });
    expect(liveReducer(state, { type: 'received', message: confirmed })).toBe(state);
    expect(state.live.map((m) => m.id)).toEqual(['5']);
  });

  it('keeps live messages in id order even when one overtakes another', () => {
    const state = run({ type: 'received', message: msg('7') }, { type: 'received', message: msg('9') }, { type: 'received', message: msg('8') });
    expect(state.live.map((m) => m.id)).toEqual(['7', '8', '9']);
  });
});

describe('the outbox as the lists show it', () => {
  const base = { seq: 1, roomId: 'r1', createdAt: '2026-01-01T12:00:00.000Z', state: { status: 'pending' } } as const;
  const quote = { id: '4', author: { id: 'u-other', username: 'other' }, excerpt: 'the question', deleted: false };
  const reply: OutboxItem = { ...base, id: 'c9', kind: 'reply', input: { rootId: '3', text: 'an answer', clientMessageId: 'c9', replyTo: '4' }, quote };
  const send: OutboxItem = { ...base, id: 'c8', kind: 'send', input: { roomId: 'r1', text: 'hello', clientMessageId: 'c8' } };
  const react: OutboxItem = { ...base, id: 'x1', kind: 'react', input: { messageId: '3', emoji: '👍', on: true } };
  const edit: OutboxItem = { ...base, id: 'x2', kind: 'edit', input: { messageId: '3', text: 'fixed' } };

  it('shows a queued thread reply as a pending message of its own, with its quote, queued offline and sending online', () => {
    expect(pendingOf(reply, false)).toEqual({ clientMessageId: 'c9', text: 'an answer', createdAt: base.createdAt, status: 'queued', error: null, replyTo: quote });
    expect(pendingOf(reply, true).status).toBe('sending');
    expect(pendingOf({ ...reply, state: { status: 'failed', reason: 'Not sent: muted' } }, true)).toMatchObject({ status: 'failed', error: 'Not sent: muted' });
  });

  it('counts only edits and reactions as changes to messages shown: a send or a thread reply is a message, never a refused change of the room', () => {
    expect([send, reply, react, edit].filter(isChange).map((i) => i.id)).toEqual(['x1', 'x2']);
  });
});
