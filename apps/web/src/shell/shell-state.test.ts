import { describe, expect, it } from 'vitest';
import { initialShellState, shellReducer, type ShellAction, type ShellState } from './shell-state';

const run = (...actions: ShellAction[]): ShellState => actions.reduce(shellReducer, initialShellState);

describe('shellReducer', () => {
  it('keeps at most one sheet open: opening the rooms closes the people, and back', () => {
    expect(run({ type: 'people-toggled' }, { type: 'rooms-toggled' })).toMatchObject({ roomsOpen: true, peopleOpen: false });
    expect(run({ type: 'rooms-toggled' }, { type: 'people-toggled' })).toMatchObject({ roomsOpen: false, peopleOpen: true });
    expect(run({ type: 'rooms-toggled' }, { type: 'rooms-toggled' })).toMatchObject({ roomsOpen: false, peopleOpen: false });
  });

  it('closes the sheet, the members panel and the notice when a room opens, and keeps the drafts', () => {
    const state = run(
      { type: 'rooms-toggled' },
      { type: 'members-toggled' },
      { type: 'notice-shown', notice: 'Could not leave' },
      { type: 'draft-changed', roomId: 'r1', draft: 'hi' },
      { type: 'room-opened' },
    );
    expect(state).toMatchObject({ roomsOpen: false, membersOpen: false, notice: null, drafts: { r1: 'hi' } });
  });

  it('opens a thread beside the room, closes it with the room, and the Threads view replaces it', () => {
    const open = run({ type: 'people-toggled' }, { type: 'thread-opened', rootId: '7', roomId: 'r1' });
    expect(open).toMatchObject({ thread: { rootId: '7', roomId: 'r1' }, peopleOpen: false, threadsOpen: false });
    expect(shellReducer(open, { type: 'thread-opened', rootId: '7', roomId: 'r1' })).toBe(open);
    expect(shellReducer(open, { type: 'room-opened' }).thread).toBeNull();
    expect(shellReducer(open, { type: 'threads-toggled' })).toMatchObject({ thread: null, threadsOpen: true });
    // From the Threads view: the room opens first, then the thread (the order ChatScreen dispatches).
    const fromList = run({ type: 'threads-toggled' }, { type: 'room-opened' }, { type: 'thread-opened', rootId: '9', roomId: 'r2' });
    expect(fromList).toMatchObject({ thread: { rootId: '9', roomId: 'r2' }, threadsOpen: false });
  });

  it('shows the notice of a room that is gone after the room it opens instead (the order ChatScreen dispatches)', () => {
    expect(run({ type: 'room-opened' }, { type: 'notice-shown', notice: 'You are no longer a member of that room.' }).notice).toBe('You are no longer a member of that room.');
  });

  it('closes every panel on Escape, and only the sheets on a tap on the scrim', () => {
    const open = run({ type: 'members-toggled' }, { type: 'people-toggled' });
    expect(shellReducer(open, { type: 'panels-closed', members: true })).toMatchObject({ peopleOpen: false, membersOpen: false });
    expect(shellReducer(open, { type: 'panels-closed', members: false })).toMatchObject({ peopleOpen: false, membersOpen: true });
  });

  it('keeps a draft per room and counts resyncs', () => {
    const state = run(
      { type: 'draft-changed', roomId: 'r1', draft: 'one' },
      { type: 'draft-changed', roomId: 'r2', draft: 'two' },
      { type: 'draft-changed', roomId: 'r1', draft: 'one more' },
      { type: 'resynced' },
      { type: 'resynced' },
    );
    expect(state.drafts).toEqual({ r1: 'one more', r2: 'two' });
    expect(state.generation).toBe(2);
  });

  it('releases a draft the outbox kept only while the composer still shows that very text', () => {
    const state = run({ type: 'draft-changed', roomId: 'r1', draft: 'sent before the reload' }, { type: 'draft-changed', roomId: 'r2', draft: 'typed since' });
    expect(shellReducer(state, { type: 'draft-released', roomId: 'r1', draft: 'sent before the reload' }).drafts).toEqual({ r2: 'typed since' });
    expect(shellReducer(state, { type: 'draft-released', roomId: 'r2', draft: 'what was held' })).toBe(state);
  });

  it('returns the same state when an action changes nothing, so React skips the render as useState did', () => {
    expect(shellReducer(initialShellState, { type: 'panels-closed', members: true })).toBe(initialShellState);
    expect(shellReducer(initialShellState, { type: 'reading-changed', reading: true })).toBe(initialShellState);
    const drafted = run({ type: 'draft-changed', roomId: 'r1', draft: 'hi' });
    expect(shellReducer(drafted, { type: 'draft-changed', roomId: 'r1', draft: 'hi' })).toBe(drafted);
  });

  it('remembers the latest jump, the search toggle, the dialog and the profile', () => {
    const user = { id: 'u1', username: 'ada' } as unknown as NonNullable<ShellState['profile']>;
    const state = run(
      { type: 'jump-requested', jump: { roomId: 'r1', messageId: 'm1', nonce: 1 } },
      { type: 'jump-requested', jump: { roomId: 'r1', messageId: 'm1', nonce: 2 } },
      { type: 'search-toggled' },
      { type: 'dialog-opened', dialog: 'invite' },
      { type: 'profile-shown', profile: user },
    );
    expect(state).toMatchObject({ jump: { nonce: 2 }, searchOpen: true, dialog: 'invite', profile: user });
    expect(run({ type: 'search-toggled' }, { type: 'search-closed' }).searchOpen).toBe(false);
  });
  it("takes another tab's drafts as they are stored, rooms cleared there included", () => {
    const typed = shellReducer({ ...initialShellState, drafts: { r1: 'mine', r2: 'stale copy' } }, { type: 'draft-changed', roomId: 'r1', draft: 'mine!' });
    const synced = shellReducer(typed, { type: 'drafts-synced', drafts: { r1: 'mine!', r3: 'from tab B' } });
    expect(synced.drafts).toEqual({ r1: 'mine!', r3: 'from tab B' });
  });
});
