import { describe, expect, it } from 'vitest';
import { applyMessageChanges, changeOfReactAnswer, type MessageChange } from './message-changes';
import { msg } from './test-messages';

const ann = { id: 'u-ann', username: 'ann' };
const me = { id: 'u-me', username: 'me' };
const deleted = { at: '2026-01-01T13:00:00.000Z', by: 'author' as const };
const react = (messageId: string, emoji: string, count: number, user: { id: string; username: string }, on: boolean, users = [user]): MessageChange => ({ type: 'reaction', messageId, emoji, count, users, user, on });

describe('applyMessageChanges', () => {
  it('replaces an edited message, keeping its reactions, and refreshes the quotes of its replies', () => {
    const original = msg('1', { text: 'teh plan', reactions: [{ emoji: '👍', count: 1, users: [ann], me: false }] });
    const reply = msg('2', { replyTo: { id: '1', author: ann, excerpt: 'teh plan', deleted: false } });
    const edited = msg('1', { text: 'the plan\nsecond line', editedAt: '2026-01-01T12:05:00.000Z' });
    const [a, b] = applyMessageChanges([original, reply], [{ type: 'edited', message: edited }], me.id);
    expect(a).toEqual({ ...edited, reactions: original.reactions });
    expect(b?.replyTo).toEqual({ id: '1', author: ann, excerpt: 'the plan', deleted: false });
  });

  it('blanks a deleted message and marks quotes of it deleted; an edit arriving late does not bring it back', () => {
    const original = msg('1', { text: 'oops', mentions: [me], reactions: [{ emoji: '👍', count: 1, users: [ann], me: false }], replyTo: { id: '0', author: ann, excerpt: 'x', deleted: false } });
    const reply = msg('2', { replyTo: { id: '1', author: ann, excerpt: 'oops', deleted: false } });
    const [a, b] = applyMessageChanges([original, reply], [{ type: 'deleted', messageId: '1', deleted }, { type: 'edited', message: msg('1', { text: 'back?' }) }], me.id);
    expect(a).toEqual({ ...msg('1'), text: '', deleted });
    expect(b?.replyTo).toEqual({ id: '1', author: ann, excerpt: '', deleted: true });
  });

  it('sets an emoji’s absolute state: new ones last, count 0 removes, `me` only from the viewer’s own change', () => {
    const start = [msg('1', { reactions: [{ emoji: '👍', count: 1, users: [me], me: true }] })];
    const changes = [react('1', '🎉', 1, ann, true), react('1', '👍', 2, ann, true, [me, ann])];
    expect(applyMessageChanges(start, changes, me.id)[0]?.reactions).toEqual([
      { emoji: '👍', count: 2, users: [me, ann], me: true },
      { emoji: '🎉', count: 1, users: [ann], me: false },
    ]);
    const off = applyMessageChanges(start, [react('1', '👍', 0, me, false, [])], me.id)[0]!;
    expect('reactions' in off).toBe(false);
  });

  it('is idempotent: applying the same changes twice gives the same messages', () => {
    const start = [msg('1'), msg('2', { replyTo: { id: '1', author: ann, excerpt: 'message 1', deleted: false } })];
    const changes: MessageChange[] = [react('1', '❤️', 1, me, true), { type: 'edited', message: msg('1', { text: 'new' }) }, react('2', '👍', 1, ann, true)];
    const once = applyMessageChanges(start, changes, me.id);
    expect(applyMessageChanges(once, changes, me.id)).toEqual(once);
  });

  it('matches the server’s emoji with or without the variation selector', () => {
    const start = [msg('1', { reactions: [{ emoji: '❤', count: 1, users: [ann], me: false }] })];
    expect(applyMessageChanges(start, [react('1', '❤️', 2, me, true, [ann, me])], me.id)[0]?.reactions).toEqual([{ emoji: '❤', count: 2, users: [ann, me], me: true }]);
  });
});

describe('changeOfReactAnswer', () => {
  it('takes the toggled emoji’s state from the answer, and count 0 when it is gone', () => {
    expect(changeOfReactAnswer({ messageId: '1', reactions: [{ emoji: '👍', count: 2, users: [ann, me], me: true }] }, '👍', true, me)).toEqual(react('1', '👍', 2, me, true, [ann, me]));
    expect(changeOfReactAnswer({ messageId: '1', reactions: [] }, '👍', false, me)).toMatchObject({ count: 0, on: false });
  });
});
