import type { ChatMessage } from '@chat/api';
import { describe, expect, it } from 'vitest';
import { compareIds } from './ids';
import { reactionChangeOfAnswer, type MessageChange } from './message-lifecycle';
import { applyMessageChanges, foldTimeline, mergeMessages } from './message-list';

// The paged timeline (the web's open room): moved here from the web's message-order and message-changes tests.

const ann = { id: 'u-ann', username: 'ann' };
const me = { id: 'u-me', username: 'me' };
const deleted = { at: '2026-01-01T13:00:00.000Z', by: 'author' as const };
const msg = (id: string, over: Partial<ChatMessage> = {}): ChatMessage => ({
  id,
  text: `message ${id}`,
  createdAt: new Date(Date.UTC(2026, 0, 1, 12, 0, Number(id) % 60)).toISOString(),
  author: { id: 'u-other', username: 'other' },
  clientMessageId: null,
  ...over,
});
const ORDER: Record<string, string> = { '👍': '9', '❤️': '10', '❤': '10', '🎉': '12' };
const react = (messageId: string, emoji: string, count: number, user: { id: string; username: string }, on: boolean, users = [user], order = ORDER[emoji]!): MessageChange => ({
  type: 'reaction.changed',
  messageId,
  emoji,
  count,
  users,
  user,
  on,
  order,
});

describe('compareIds', () => {
  it('orders decimal ids numerically, int8 range included', () => {
    expect(compareIds('9', '10')).toBeLessThan(0);
    expect(compareIds('100', '99')).toBeGreaterThan(0);
    expect(compareIds('42', '42')).toBe(0);
    expect(compareIds('9223372036854775807', '9223372036854775806')).toBeGreaterThan(0);
  });
});

describe('mergeMessages', () => {
  it('merges overlapping pages and live messages into one ascending list, each id once', () => {
    const older = [msg('1'), msg('2'), msg('3')];
    const newer = [msg('3'), msg('4'), msg('10')];
    const live = [msg('11'), msg('4')];
    expect(mergeMessages(newer, older, live).map((m) => m.id)).toEqual(['1', '2', '3', '4', '10', '11']);
    expect(mergeMessages()).toEqual([]);
  });
});

describe('applyMessageChanges', () => {
  it('replaces an edited message, keeping its reactions, and refreshes the quotes of its replies', () => {
    const original = msg('1', { text: 'teh plan', reactions: [{ emoji: '👍', count: 1, users: [ann], me: false, order: '9' }] });
    const reply = msg('2', { replyTo: { id: '1', author: ann, excerpt: 'teh plan', deleted: false } });
    const edited = msg('1', { text: 'the plan\nsecond line', editedAt: '2026-01-01T12:05:00.000Z' });
    const [a, b] = applyMessageChanges([original, reply], [{ type: 'message.edited', message: edited }], me.id);
    expect(a).toEqual({ ...edited, reactions: original.reactions });
    expect(b?.replyTo).toEqual({ id: '1', author: ann, excerpt: 'the plan', deleted: false });
  });

  it('takes an edit event’s message without its roomId', () => {
    const [a] = applyMessageChanges([msg('1')], [{ type: 'message.edited', message: { ...msg('1', { text: 'new' }), roomId: 'r' } as ChatMessage }], me.id);
    expect(a).toEqual(msg('1', { text: 'new' }));
  });

  it('blanks a deleted message and marks quotes of it deleted; an edit arriving late does not bring it back', () => {
    const original = msg('1', { text: 'oops', mentions: [me], reactions: [{ emoji: '👍', count: 1, users: [ann], me: false, order: '9' }], replyTo: { id: '0', author: ann, excerpt: 'x', deleted: false } });
    const reply = msg('2', { replyTo: { id: '1', author: ann, excerpt: 'oops', deleted: false } });
    const [a, b] = applyMessageChanges([original, reply], [{ type: 'message.deleted', messageId: '1', deleted }, { type: 'message.edited', message: msg('1', { text: 'back?' }) }], me.id);
    expect(a).toEqual({ ...msg('1'), text: '', deleted });
    expect(b?.replyTo).toEqual({ id: '1', author: ann, excerpt: '', deleted: true });
  });

  it('is idempotent: applying the same changes twice gives the same messages', () => {
    const start = [msg('1'), msg('2', { replyTo: { id: '1', author: ann, excerpt: 'message 1', deleted: false } })];
    const changes: MessageChange[] = [react('1', '❤️', 1, me, true), { type: 'message.edited', message: msg('1', { text: 'new' }) }, react('2', '👍', 1, ann, true)];
    const once = applyMessageChanges(start, changes, me.id);
    expect(applyMessageChanges(once, changes, me.id)).toEqual(once);
  });

  it('matches the server’s emoji with or without the variation selector, keeping the held form', () => {
    const start = [msg('1', { reactions: [{ emoji: '❤', count: 1, users: [ann], me: false, order: '10' }] })];
    expect(applyMessageChanges(start, [react('1', '❤️', 2, me, true, [ann, me])], me.id)[0]?.reactions).toEqual([{ emoji: '❤', count: 2, users: [ann, me], me: true, order: '10' }]);
    expect('reactions' in applyMessageChanges(start, [react('1', '❤️', 0, ann, false, [])], me.id)[0]!).toBe(false);
  });
});

describe('reactionChangeOfAnswer', () => {
  it('takes the toggled emoji’s state from the answer, and count 0 when it is gone', () => {
    expect(reactionChangeOfAnswer({ messageId: '1', reactions: [{ emoji: '👍', count: 2, users: [ann, me], me: true, order: '9' }] }, '👍', true, me)).toEqual(react('1', '👍', 2, me, true, [ann, me]));
    expect(reactionChangeOfAnswer({ messageId: '1', reactions: [] }, '👍', false, me)).toMatchObject({ count: 0, on: false });
  });

  it('finds the answer’s entry for a picked emoji in another normalisation form', () => {
    // "é"-style: a picker may hand over a decomposed sequence; the server answers in NFC.
    const answer = { messageId: '1', reactions: [{ emoji: '\u00e9', count: 1, users: [me], me: true, order: '9' }] };
    expect(reactionChangeOfAnswer(answer, 'e\u0301', true, me)).toMatchObject({ emoji: '\u00e9', count: 1 });
  });
});

describe('foldTimeline', () => {
  it('joins pages and live messages, then applies the changes over all of them', () => {
    const pages = [[msg('3'), msg('4')], [msg('1'), msg('2')]];
    const out = foldTimeline({ pages, complete: true, live: [msg('5')], changes: [{ type: 'message.deleted', messageId: '2', deleted }, react('5', '👍', 1, me, true)] }, me.id);
    expect(out.map((m) => [m.id, !!m.deleted, m.reactions?.length ?? 0])).toEqual([
      ['1', false, 0],
      ['2', true, 0],
      ['3', false, 0],
      ['4', false, 0],
      ['5', false, 1],
    ]);
  });

  it('leaves out a live message older than the oldest loaded page until its page is loaded', () => {
    const out = foldTimeline({ pages: [[msg('8'), msg('9')]], complete: false, live: [msg('5'), msg('10')], changes: [] }, me.id);
    expect(out.map((m) => m.id)).toEqual(['8', '9', '10']);
    expect(foldTimeline({ pages: [[msg('8'), msg('9')]], complete: true, live: [msg('5')], changes: [] }, me.id).map((m) => m.id)).toEqual(['5', '8', '9']);
  });
});
