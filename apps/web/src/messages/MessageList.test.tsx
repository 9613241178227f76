// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageList } from './MessageList';
import { msg } from './test-messages';
import type { TimelineItem } from './timeline';

afterEach(cleanup);

const me = { id: 'u-me', username: 'me' };
const noop = () => undefined;
const items: TimelineItem[] = ['1', '2', '3'].map((id) => ({ kind: 'message', key: id, message: msg(id), continued: false, newDay: false }));

describe('MessageList', () => {
  it('keeps the list a list with the "New messages" line in it: every child of the <ol> a plain list item (axe\'s list rule)', () => {
    const { container, getByTestId } = render(
      <MessageList items={items} me={me} hasOlder={false} loadingOlder={false} loadOlder={noop} onRetry={noop} onDiscard={noop} dividerKey="2" />,
    );
    const children = [...(container.querySelector('ol.message-items')?.children ?? [])];
    expect(children.map((c) => [c.tagName, c.getAttribute('role')])).toEqual(Array(4).fill(['LI', null]));
    // The line still sits right above the first unread message and says what it is.
    expect(getByTestId('new-messages-divider').textContent).toBe('New messages');
    expect(getByTestId('new-messages-divider').nextElementSibling?.getAttribute('data-message-id')).toBe('2');
  });
});
