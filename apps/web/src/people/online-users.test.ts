import { describe, expect, it } from 'vitest';
import { describeOnlineCount, noOneOnline, presenceReducer, withMeFirst } from './online-users';

const ada = { id: '1', username: 'ada' };
const bob = { id: '2', username: 'bob' };
const cy = { id: '3', username: 'cy' };

describe('presenceReducer', () => {
  it('starts from the snapshot, sorted by name, each person once', () => {
    const state = presenceReducer(noOneOnline, { type: 'snapshot', users: [cy, ada, bob, ada] });
    expect(state).toEqual([ada, bob, cy]);
  });

  it('adds joins and removes leaves', () => {
    let state = presenceReducer(noOneOnline, { type: 'snapshot', users: [bob] });
    state = presenceReducer(state, { type: 'join', user: cy });
    state = presenceReducer(state, { type: 'join', user: ada });
    expect(state).toEqual([ada, bob, cy]);
    state = presenceReducer(state, { type: 'leave', user: bob });
    expect(state).toEqual([ada, cy]);
  });

  it('ignores a join of someone already listed and a leave of someone absent, keeping the same array', () => {
    const state = presenceReducer(noOneOnline, { type: 'snapshot', users: [ada] });
    expect(presenceReducer(state, { type: 'join', user: ada })).toBe(state);
    expect(presenceReducer(state, { type: 'leave', user: bob })).toBe(state);
  });

  it('lets a later snapshot replace the whole state', () => {
    let state = presenceReducer(noOneOnline, { type: 'snapshot', users: [ada, bob] });
    state = presenceReducer(state, { type: 'join', user: cy });
    state = presenceReducer(state, { type: 'snapshot', users: [cy] });
    expect(state).toEqual([cy]);
  });
});

describe('withMeFirst', () => {
  it('puts the signed-in user first, the rest in order', () => {
    expect(withMeFirst([ada, bob, cy], '2')).toEqual([bob, ada, cy]);
    expect(withMeFirst([ada, cy], '2')).toEqual([ada, cy]);
  });
});

describe('describeOnlineCount', () => {
  it('says how many are online', () => {
    expect(describeOnlineCount(3)).toBe('3 online');
    expect(describeOnlineCount(1)).toBe('1 online');
  });
});
