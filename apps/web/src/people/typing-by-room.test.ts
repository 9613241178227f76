import { describe, expect, it } from 'vitest';
import { noOneTypingAnywhere, typingByRoomReducer, typingIn } from './typing-by-room';

const ada = { id: 'u-ada', username: 'ada' };
const grace = { id: 'u-grace', username: 'grace' };
const typing = (roomId: string, user: typeof ada, on: boolean) => ({ type: 'event' as const, event: { type: 'typing' as const, roomId, user, typing: on }, meId: 'u-me' });

describe('typingByRoomReducer', () => {
  it('keeps each room’s typists apart', () => {
    let state = typingByRoomReducer(noOneTypingAnywhere, typing('r1', ada, true));
    state = typingByRoomReducer(state, typing('r2', grace, true));
    expect(typingIn(state, 'r1').map((u) => u.username)).toEqual(['ada']);
    expect(typingIn(state, 'r2').map((u) => u.username)).toEqual(['grace']);
    expect(typingIn(state, 'r3')).toEqual([]);
  });

  it('drops a typist who stopped, and everyone on reset', () => {
    let state = typingByRoomReducer(noOneTypingAnywhere, typing('r1', ada, true));
    state = typingByRoomReducer(state, typing('r1', ada, false));
    expect(typingIn(state, 'r1')).toEqual([]);
    state = typingByRoomReducer(state, typing('r2', grace, true));
    expect(typingByRoomReducer(state, { type: 'reset' })).toEqual({});
  });

  it('never lists the user themself', () => {
    const state = typingByRoomReducer(noOneTypingAnywhere, { ...typing('r1', ada, true), meId: ada.id });
    expect(state).toBe(noOneTypingAnywhere);
  });
});
