import { describe, expect, it } from 'vitest';
import { newMessagesDividerKey } from './new-messages-divider';
import { msg } from './test-messages';
import { buildTimeline } from './timeline';

const me = { id: 'u-me', username: 'me' };
const items = buildTimeline([[msg('1'), msg('2', { author: me }), msg('3'), msg('4')]], [], [], me);

describe('newMessagesDividerKey', () => {
  it('marks the first message by someone else after the read position', () => {
    expect(newMessagesDividerKey(items, { lastReadMessageId: '2', unread: 2 }, me.id)).toBe('id:3');
  });

  it('skips the user’s own messages after the read position', () => {
    expect(newMessagesDividerKey(items, { lastReadMessageId: '1', unread: 2 }, me.id)).toBe('id:3');
  });

  it('shows nothing when nothing was unread at open, and the first message when nothing was ever read', () => {
    expect(newMessagesDividerKey(items, { lastReadMessageId: '2', unread: 0 }, me.id)).toBeNull();
    expect(newMessagesDividerKey(items, { lastReadMessageId: null, unread: 3 }, me.id)).toBe('id:1');
    expect(newMessagesDividerKey(items, null, me.id)).toBeNull();
  });
});
