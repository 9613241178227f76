import { describe, expect, it } from 'vitest';
import { emptyLiveState, liveReducer, type LiveAction, type LiveState } from './live-messages';
import { msg } from './test-messages';

const run = (...actions: LiveAction[]): LiveState => actions.reduce(liveReducer, emptyLiveState);
const me = { id: 'u-me', username: 'me' };

describe('liveReducer', () => {
  it('shows a send as pending until its echo arrives, then only the confirmed copy', () => {
    const sending = run({ type: 'sending', clientMessageId: 'c1', text: 'hi', createdAt: '2026-01-01T00:00:00Z' });
    expect(sending.pending).toMatchObject([{ clientMessageId: 'c1', status: 'sending' }]);
    const echoed = liveReducer(sending, { type: 'received', message: msg('5', { author: me, clientMessageId: 'c1', text: 'hi' }) });
    expect(echoed.pending).toEqual([]);
    expect(echoed.live.map((m) => m.id)).toEqual(['5']);
  });

  it('ignores the second copy when both the mutation result and the echo arrive', () => {
    const confirmed = msg('5', { author: me, clientMessageId: 'c1' });
    const state = run(
      { type: 'sending', clientMessageId: 'c1', text: 'hi', createdAt: '2026-01-01T00:00:00Z' },
      { type: 'received', message: confirmed },
    );
    expect(liveReducer(state, { type: 'received', message: confirmed })).toBe(state);
  });

  it('marks a failed send and lets it be retried in place', () => {
    const state = run(
      { type: 'sending', clientMessageId: 'a', text: 'first', createdAt: '2026-01-01T00:00:00Z' },
      { type: 'sending', clientMessageId: 'b', text: 'second', createdAt: '2026-01-01T00:00:01Z' },
      { type: 'failed', clientMessageId: 'a', error: 'offline' },
    );
    expect(state.pending).toMatchObject([
      { clientMessageId: 'a', status: 'failed', error: 'offline' },
      { clientMessageId: 'b', status: 'sending' },
    ]);
    const retried = liveReducer(state, { type: 'sending', clientMessageId: 'a', text: 'first', createdAt: '2026-01-01T00:05:00Z' });
    expect(retried.pending.map((p) => [p.clientMessageId, p.status, p.createdAt])).toEqual([
      ['a', 'sending', '2026-01-01T00:00:00Z'],
      ['b', 'sending', '2026-01-01T00:00:01Z'],
    ]);
  });

  it('discards a failed send', () => {
    const state = run(
      { type: 'sending', clientMessageId: 'a', text: 'x', createdAt: '2026-01-01T00:00:00Z' },
      { type: 'discarded', clientMessageId: 'a' },
    );
    expect(state.pending).toEqual([]);
  });

  it('keeps live messages in id order even when one overtakes another', () => {
    const state = run({ type: 'received', message: msg('7') }, { type: 'received', message: msg('9') }, { type: 'received', message: msg('8') });
    expect(state.live.map((m) => m.id)).toEqual(['7', '8', '9']);
  });
});
