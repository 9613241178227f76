import { describe, expect, it } from 'vitest';
import { emptyLiveState, liveReducer, type LiveAction, type LiveState } from './live-messages';
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
