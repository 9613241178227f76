import { describe, expect, it } from 'vitest';
import { applyMessageChanges, changeOfReactAnswer, type MessageChange } from './message-changes';
import { msg } from './test-messages';

const ann = { id: 'u-ann', username: 'ann' };
const me = { id: 'u-me', username: 'me' };
const deleted = { at: '2026-01-01T13:00:00.000Z', by: 'author' as const };
const ORDER: Record<string, string> = { '👍': '9', '❤️': '10', '❤': '10', '🎉': '12' };
const react = (messageId: string, emoji: string, count: number, user: { id: string; username: string }, on: boolean, users = [user], order = ORDER[emoji]!): MessageChange => ({
  type: 'reaction',
  messageId,
  emoji,
  count,
  users,
  user,
  on,
  order,
});

describe('applyMessageChanges', () => {
  it('replaces an edited message, keeping its reactions, and refreshes the quotes of its replies', () => {
    const original = msg('1', { text: 'teh plan', reactions: [{ emoji: '👍', count: 1, users: [ann], me: false, order: '9' }] });
    const reply = msg('2', { replyTo: { id: '1', author: ann, excerpt: 'teh plan', deleted: false } });
    const edited = msg('1', { text: 'the plan\nsecond line', editedAt: '2026-01-01T12:05:00.000Z' });
    const [a, b] = applyMessageChanges([original, reply], [{ type: 'edited', message: edited }], me.id);
    expect(a).toEqual({ ...edited, reactions: original.reactions });
    expect(b?.replyTo).toEqual({ id: '1', author: ann, excerpt: 'the plan', deleted: false });
  });

  it('blanks a deleted message and marks quotes of it deleted; an edit arriving late does not bring it back', () => {
    const original = msg('1', { text: 'oops', mentions: [me], reactions: [{ emoji: '👍', count: 1, users: [ann], me: false, order: '9' }], replyTo: { id: '0', author: ann, excerpt: 'x', deleted: false } });
    const reply = msg('2', { replyTo: { id: '1', author: ann, excerpt: 'oops', deleted: false } });
    const [a, b] = applyMessageChanges([original, reply], [{ type: 'deleted', messageId: '1', deleted }, { type: 'edited', message: msg('1', { text: 'back?' }) }], me.id);
    expect(a).toEqual({ ...msg('1'), text: '', deleted });
    expect(b?.replyTo).toEqual({ id: '1', author: ann, excerpt: '', deleted: true });
  });

  it('sets an emoji’s absolute state: placed by order, count 0 removes, `me` only from the viewer’s own change', () => {
    const start = [msg('1', { reactions: [{ emoji: '👍', count: 1, users: [me], me: true, order: '9' }] })];
    // ❤️ (order 10) arrives after 🎉 (12) and still sits before it: orders compare as numbers.
    const changes = [react('1', '🎉', 1, ann, true), react('1', '👍', 2, ann, true, [me, ann]), react('1', '❤️', 1, ann, true)];
    expect(applyMessageChanges(start, changes, me.id)[0]?.reactions).toEqual([
      { emoji: '👍', count: 2, users: [me, ann], me: true, order: '9' },
      { emoji: '❤️', count: 1, users: [ann], me: false, order: '10' },
      { emoji: '🎉', count: 1, users: [ann], me: false, order: '12' },
    ]);
    const off = applyMessageChanges(start, [react('1', '👍', 0, me, false, [])], me.id)[0]!;
    expect('reactions' in off).toBe(false);
  });

  it('puts an emoji that came back after an old removal replayed onto a newer page where the server has it', () => {
    // 🎉 on (order 3), off, on again (order 5), then 👍 (order 9): the page shows the end, the changes replay from before the removal.
    const party = { emoji: '🎉', count: 1, users: [ann], me: false, order: '5' };
    const thumbs = { emoji: '👍', count: 1, users: [me], me: true, order: '9' };
    const changes = [react('1', '🎉', 0, ann, false, [], '3'), react('1', '🎉', 1, ann, true, [ann], '5'), react('1', '👍', 1, me, true)];
    expect(applyMessageChanges([msg('1', { reactions: [party, thumbs] })], changes, me.id)[0]?.reactions).toEqual([party, thumbs]);
  });

  it('is idempotent: applying the same changes twice gives the same messages', () => {
    const start = [msg('1'), msg('2', { replyTo: { id: '1', author: ann, excerpt: 'message 1', deleted: false } })];
    const changes: MessageChange[] = [react('1', '❤️', 1, me, true), { type: 'edited', message: msg('1', { text: 'new' }) }, react('2', '👍', 1, ann, true)];
    const once = applyMessageChanges(start, changes, me.id);
    expect(applyMessageChanges(once, changes, me.id)).toEqual(once);
  });

  it('matches the server’s emoji with or without the variation selector', () => {
    const start = [msg('1', { reactions: [{ emoji: '❤', count: 1, users: [ann], me: false, order: '10' }] })];
    expect(applyMessageChanges(start, [react('1', '❤️', 2, me, true, [ann, me])], me.id)[0]?.reactions).toEqual([{ emoji: '❤', count: 2, users: [ann, me], me: true, order: '10' }]);
  });
});

describe('changeOfReactAnswer', () => {
  it('takes the toggled emoji’s state from the answer, and count 0 when it is gone', () => {
    expect(changeOfReactAnswer({ messageId: '1', reactions: [{ emoji: '👍', count: 2, users: [ann, me], me: true, order: '9' }] }, '👍', true, me)).toEqual(react('1', '👍', 2, me, true, [ann, me]));
    expect(changeOfReactAnswer({ messageId: '1', reactions: [] }, '👍', false, me)).toMatchObject({ count: 0, on: false });
  });
});
