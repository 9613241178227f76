import { describe, expect, it } from 'vitest';
import type { PendingMessage } from './live-messages';
import { msg } from './test-messages';
import { buildTimeline, lastOwnMessageId } from './timeline';

const me = { id: 'u-me', username: 'me' };
const pending = (clientMessageId: string, over: Partial<PendingMessage> = {}): PendingMessage => ({
  clientMessageId,
  text: 'pending',
  createdAt: '2026-01-01T12:00:59.000Z',
  status: 'sending',
  error: null,
  ...over,
});

describe('buildTimeline', () => {
  it('joins history pages (newest page first) and live messages without doubles', () => {
    const pages = [
      [msg('3'), msg('4')],
      [msg('1'), msg('2'), msg('3')],
    ];
    const items = buildTimeline(pages, [msg('4'), msg('5')], [], me);
    expect(items.map((i) => (i.kind === 'message' ? i.message.id : i.key))).toEqual(['1', '2', '3', '4', '5']);
  });

  it('applies edits, deletes and reactions to a page that was read before or after them', () => {
    const deleted = { at: '2026-01-01T13:00:00.000Z', by: 'author' as const };
    const changes = [
      { type: 'message.edited' as const, message: msg('1', { text: 'fixed', editedAt: '2026-01-01T12:10:00.000Z' }) },
      { type: 'message.deleted' as const, messageId: '2', deleted },
    ];
    for (const page of [[msg('1'), msg('2')], [msg('1', { text: 'fixed', editedAt: '2026-01-01T12:10:00.000Z' }), msg('2', { text: '', deleted })]]) {
      const items = buildTimeline([page], [], [], me, changes);
      expect(items.map((i) => (i.kind === 'message' ? [i.message.text, !!i.message.deleted] : null))).toEqual([
        ['fixed', false],
        ['', true],
      ]);
    }
  });

  it('hides a pending send once its confirmed copy is present, keeping the same key', () => {
    const p = pending('c1');
    const before = buildTimeline([[msg('1')]], [], [p], me);
    const confirmed = msg('2', { author: me, clientMessageId: 'c1' });
    const after = buildTimeline([[msg('1')]], [confirmed], [p], me);
    expect(before.map((i) => i.kind)).toEqual(['message', 'pending']);
    expect(after.map((i) => i.kind)).toEqual(['message', 'message']);
    expect(after[1]?.key).toBe(before[1]?.key);
  });

  it('groups consecutive messages by one author and marks new days', () => {
    const items = buildTimeline(
      [
        [
          msg('1', { createdAt: '2026-01-01T10:00:00Z' }),
          msg('2', { createdAt: '2026-01-01T10:01:00Z' }),
          msg('3', { createdAt: '2026-01-01T10:30:00Z' }),
          msg('4', { createdAt: '2026-01-03T10:30:00Z' }),
        ],
      ],
      [],
      [],
      me,
    );
    expect(items.map((i) => i.continued)).toEqual([false, true, false, false]);
    expect(items.map((i) => i.newDay)).toEqual([true, false, false, true]);
  });
});

describe('lastOwnMessageId', () => {
  it('is the user’s newest message that is not deleted (what Arrow Up edits), in a room or a thread alike', () => {
    const deleted = { at: '2026-01-01T13:00:00.000Z', by: 'author' as const };
    const items = buildTimeline([[msg('1', { author: me }), msg('2'), msg('3', { author: me, deleted }), msg('4')]], [], [], me);
    expect(lastOwnMessageId(items, me.id)).toBe('1');
    expect(lastOwnMessageId(buildTimeline([[msg('2')]], [], [], me), me.id)).toBeNull();
  });
});
