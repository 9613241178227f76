import type { ChatMessage, RoomMessage } from '@chat/api';
import { describe, expect, it } from 'vitest';
import { applyDeleted, applyEdited, applyReaction } from './message-lifecycle';

const ME = { id: 'u-me', username: 'me' };
const BOB = { id: 'u-bob', username: 'bob' };
const AT = '2026-01-02T00:00:00.000Z';

const msg = (id: number, over: Partial<ChatMessage> = {}): ChatMessage => ({ id: String(id), text: `m${id}`, createdAt: AT, author: BOB, clientMessageId: null, ...over });
const reply = (id: number, to: ChatMessage, over: Partial<ChatMessage> = {}) => msg(id, { replyTo: { id: to.id, author: to.author, excerpt: to.text, deleted: false }, ...over });
const roomMessage = (m: ChatMessage): RoomMessage => ({ ...m, roomId: 'r' });
const ORDER: Record<string, string> = { '👍': '9', '❤️': '10', '🎉': '12' };
const thumbs = { emoji: '👍', count: 1, users: [ME], me: true, order: ORDER['👍']! };
const changed = (emoji: string, count: number, users = [BOB], user = BOB, on = true, order = ORDER[emoji]!) => ({ messageId: '1', emoji, count, users, user, on, order });

describe('edits', () => {
  it('replaces the text keeping reactions, and requotes replies with the first line, cut at 120 code points', () => {
    const original = msg(1, { reactions: [thumbs] });
    const text = `\n  ${'é'.repeat(130)}  \nsecond line`;
    const after = applyEdited([original, reply(2, original)], { message: roomMessage(msg(1, { text, editedAt: AT })) });
    expect(after[0]).toEqual(msg(1, { text, editedAt: AT, reactions: [thumbs] }));
    expect(after[1]?.replyTo).toEqual({ id: '1', author: BOB, excerpt: `${'é'.repeat(119)}…`, deleted: false });
  });

  it('takes a message read after its deletion as the placeholder, reactions and all gone', () => {
    const original = msg(1, { reactions: [thumbs] });
    const after = applyEdited([original, reply(2, original)], { message: roomMessage(msg(1, { text: '', deleted: { at: AT, by: 'author' } })) });
    expect(after[0]).toEqual(msg(1, { text: '', deleted: { at: AT, by: 'author' } }));
    expect(after[1]?.replyTo).toMatchObject({ excerpt: '', deleted: true });
  });

  it('requotes a reply to a message older than the loaded ones, and leaves a list that already has the edit as it is', () => {
    const older = msg(1);
    const edited = { message: roomMessage(msg(1, { text: 'new', editedAt: AT })) };
    const once = applyEdited([reply(5, older)], edited);
    expect(once).toEqual([reply(5, msg(1, { text: 'new' }))]);
    expect(applyEdited(once, edited)).toEqual(once);
  });
});

describe('deletes', () => {
  it('blanks the message (text, mentions, reactions and quote gone; editedAt kept) and marks quotes of it deleted', () => {
    const original = reply(3, msg(1), { text: 'hi @me', mentions: [ME], reactions: [thumbs], editedAt: AT });
    const deleted = { at: AT, by: 'author' as const };
    const after = applyDeleted([original, reply(4, original)], { messageId: '3', deleted });
    expect(after[0]).toEqual(msg(3, { text: '', editedAt: AT, deleted }));
    expect(after[1]?.replyTo).toEqual({ id: '3', author: BOB, excerpt: '', deleted: true });
    expect(applyDeleted(after, { messageId: '3', deleted })).toEqual(after);
  });
});

describe('reactions', () => {
  it('sets an emoji to the count, users and order of the event, places it by order, and removes one at count 0', () => {
    let list = [msg(1, { reactions: [thumbs] })];
    list = applyReaction(list, changed('🎉', 1), ME.id);
    list = applyReaction(list, changed('👍', 2, [ME, BOB]), ME.id);
    // Ordered as numbers ('10' after '9'), not where the event came in.
    list = applyReaction(list, changed('❤️', 1), ME.id);
    expect(list[0]?.reactions).toEqual([
      { emoji: '👍', count: 2, users: [ME, BOB], me: true, order: '9' },
      { emoji: '❤️', count: 1, users: [BOB], me: false, order: '10' },
      { emoji: '🎉', count: 1, users: [BOB], me: false, order: '12' },
    ]);
    list = applyReaction(list, changed('❤️', 0, [], BOB, false), ME.id);
    list = applyReaction(applyReaction(list, changed('👍', 0, [], ME, false), ME.id), changed('🎉', 0, [], BOB, false), ME.id);
    // No reactions left: the field goes, as in history.
    expect(list[0]).toEqual(msg(1));
  });

  it("takes `me` only from the viewer's own events", () => {
    const list = [msg(1)];
    const mine = applyReaction(list, changed('👍', 1, [ME], ME, true), ME.id);
    expect(mine[0]?.reactions?.[0]?.me).toBe(true);
    // More than 20 reactors: the viewer may not be among `users`, and still reacted.
    const others = applyReaction(mine, changed('👍', 21, Array.from({ length: 20 }, () => BOB), BOB, true), ME.id);
    expect(others[0]?.reactions?.[0]).toMatchObject({ count: 21, me: true });
    expect(applyReaction(others, changed('👍', 20, [BOB], ME, false), ME.id)[0]?.reactions?.[0]?.me).toBe(false);
  });

  it('puts an emoji that came back after an old removal where its new order says, not last', () => {
    // 🎉 on (order 3), off, on again (order 5), then 👍 (order 9): the snapshot already shows the end;
    // the events from before the removal are replayed onto it.
    const party = { emoji: '🎉', count: 1, users: [BOB], me: false, order: '5' };
    let list = [msg(1, { reactions: [party, thumbs] })];
    list = applyReaction(list, changed('🎉', 0, [], BOB, false, '3'), ME.id);
    list = applyReaction(list, changed('🎉', 1, [BOB], BOB, true, '5'), ME.id);
    list = applyReaction(list, changed('👍', 1, [ME], ME, true), ME.id);
    expect(list[0]?.reactions).toEqual([party, thumbs]);
  });

  it('adds nothing to a deleted message (an old event replayed onto its placeholder)', () => {
    const placeholder = msg(1, { text: '', deleted: { at: AT, by: 'author' } });
    expect(applyReaction([placeholder], changed('👍', 1), ME.id)).toEqual([placeholder]);
  });
});
