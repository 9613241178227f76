import type { ChatMessage } from '@chat/api';
import { describe, expect, it } from 'vitest';
import { reactionChangeOfAnswer } from '../message-lifecycle';
import { applyMessageChanges } from '../message-list';
import type { OutboxItem, OutboxState } from './outbox-item';
import { withQueuedChanges } from './queued-changes';

const me = { id: 'u-me', username: 'me' };
const ann = { id: 'u-ann', username: 'ann' };
const message = (id: string, over: Partial<ChatMessage> = {}): ChatMessage => ({
  id,
  text: `text ${id}`,
  createdAt: '2026-12-06T10:00:00.000Z',
  author: me,
  clientMessageId: null,
  ...over,
});
let seq = 0;
const pending: OutboxState = { status: 'pending' };
const edit = (messageId: string, text: string, state: OutboxState = pending): OutboxItem => ({
  kind: 'edit',
  input: { messageId, text },
  id: `e${++seq}`,
  seq,
  roomId: 'r',
  createdAt: '2026-12-06T10:01:00.000Z',
  state,
});
const react = (messageId: string, emoji: string, on: boolean, state: OutboxState = pending): OutboxItem => ({
  kind: 'react',
  input: { messageId, emoji, on },
  id: `r${++seq}`,
  seq,
  roomId: 'r',
  createdAt: '2026-12-06T10:01:00.000Z',
  state,
});

describe('withQueuedChanges', () => {
  it('shows the newest queued edit of a message with an edit mark, and leaves the others as they are', () => {
    const messages = [message('1'), message('2')];
    const { messages: shown, marks } = withQueuedChanges(messages, [edit('1', 'first try'), edit('1', 'second try', { status: 'sending' })], me);
    expect(shown.map((m) => m.text)).toEqual(['second try', 'text 2']);
    expect(shown[1]).toBe(messages[1]);
    expect(marks.get('1')).toEqual({ edit: true, reactions: [] });
    expect(marks.has('2')).toBe(false);
  });

  it('toggles the user\u2019s reaction on and off in queue order, counting them in and out', () => {
    const held = message('1', { reactions: [{ emoji: '👍', count: 2, users: [ann, { id: 'u-bo', username: 'bo' }], me: false, order: '5' }] });
    const on = withQueuedChanges([held], [react('1', '👍', true), react('1', '🎉', true)], me);
    expect(on.messages[0]!.reactions).toEqual([
      { emoji: '👍', count: 3, users: [ann, { id: 'u-bo', username: 'bo' }, me], me: true, order: '5' },
      { emoji: '🎉', count: 1, users: [me], me: true, order: '' },
    ]);
    expect(on.marks.get('1')).toEqual({ edit: false, reactions: ['👍', '🎉'] });
    // On, then off again before either went out: the message looks as the server has it, still marked pending.
    const back = withQueuedChanges([held], [react('1', '👍', true), react('1', '👍', false)], me);
    expect(back.messages[0]!.reactions).toEqual(held.reactions);
    expect(back.marks.get('1')!.reactions).toEqual(['👍']);
  });

  it('takes the user\u2019s own reaction back, removing an emoji nobody else has', () => {
    const held = message('1', { reactions: [{ emoji: '🎉', count: 1, users: [me], me: true, order: '3' }] });
    const { messages } = withQueuedChanges([held], [react('1', '🎉', false)], me);
    expect(messages[0]!.reactions).toBeUndefined();
  });

  it('applies nothing of a refused item: the message goes back to what the server has', () => {
    const held = message('1');
    const refused: OutboxState = { status: 'failed', reason: 'A moderator muted you until 10:00.' };
    const { messages, marks } = withQueuedChanges([held], [edit('1', 'never', refused), react('1', '👍', true, refused)], me);
    expect(messages[0]).toBe(held);
    expect(marks.size).toBe(0);
  });

  it('changes nothing on a deleted message, and ignores items of messages not loaded and queued sends', () => {
    const deleted = message('1', { text: '', deleted: { at: '2026-12-06T10:02:00.000Z', by: 'author' } });
    const send: OutboxItem = { kind: 'send', input: { roomId: 'r', text: 'hi', clientMessageId: 'c1' }, id: 'c1', seq: ++seq, roomId: 'r', createdAt: '', state: pending };
    const { messages, marks } = withQueuedChanges([deleted], [edit('1', 'revived'), react('9', '👍', true), send], me);
    expect(messages).toEqual([deleted]);
    expect(marks.size).toBe(0);
  });

  it('shows what the server answers once delivered: the answer applied to the server state equals the queued view', () => {
    const held = message('1', { reactions: [{ emoji: '👍', count: 1, users: [ann], me: false, order: '5' }] });
    const queued = withQueuedChanges([held], [react('1', '👍', true)], me).messages;
    const answer = { messageId: '1', reactions: [{ emoji: '👍', count: 2, users: [ann, me], me: true, order: '5' }] };
    const delivered = applyMessageChanges([held], [reactionChangeOfAnswer(answer, '👍', true, me)], me.id);
    expect(delivered).toEqual(queued);
  });
});
