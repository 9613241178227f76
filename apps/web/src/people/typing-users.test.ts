import { describe, expect, it } from 'vitest';
import { withDisplayNames } from './shown-name';
import { describeTyping, noOneTyping, typingReducer, type TypingUsers } from './typing-users';

const me = { id: '1', username: 'me' };
const alice = { id: '2', username: 'alice' };
const bob = { id: '3', username: 'bob' };
const cy = { id: '4', username: 'cy' };

const apply = (events: [typeof me, boolean][], from: TypingUsers = noOneTyping) =>
  events.reduce((state, [user, typing]) => typingReducer(state, { type: 'event', event: { user, typing }, meId: me.id }), from);

describe('typingReducer', () => {
  it('adds starts in order and removes stops', () => {
    expect(apply([[alice, true], [bob, true]])).toEqual([alice, bob]);
    expect(apply([[alice, true], [bob, true], [alice, false]])).toEqual([bob]);
  });

  it('never lists the user themself', () => {
    expect(apply([[me, true], [alice, true]])).toEqual([alice]);
  });

  it('keeps the same state for a repeated start or a stop of someone not typing', () => {
    const state = apply([[alice, true]]);
    expect(apply([[alice, true]], state)).toBe(state);
    expect(apply([[bob, false]], state)).toBe(state);
  });

  it('forgets everyone on reset', () => {
    expect(typingReducer(apply([[alice, true]]), { type: 'reset' })).toEqual([]);
    expect(typingReducer(noOneTyping, { type: 'reset' })).toBe(noOneTyping);
  });
});

describe('describeTyping', () => {
  it('names one or two people and counts more', () => {
    expect(describeTyping([])).toBe('');
    expect(describeTyping([alice])).toBe('alice is typing…');
    expect(describeTyping([alice, bob])).toBe('alice and bob are typing…');
    expect(describeTyping([alice, bob, cy])).toBe('3 people are typing…');
  });

  it('names people by the display names the rooms know, as the sidebar and messages do', () => {
    const named = withDisplayNames([alice, bob], [{ id: bob.id, displayName: 'Bob Builder' }, { id: 'someone-else', displayName: 'X' }]);
    expect(describeTyping(named)).toBe('alice and Bob Builder are typing…');
    // Nobody renamed: the same list, so memoised children keep it.
    const plain = [alice, bob];
    expect(withDisplayNames(plain, [{ id: 'someone-else', displayName: 'X' }])).toBe(plain);
  });
});
