// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OutboxItem } from '@chat/client/core';
import type { MessageActions } from './message-actions';
import { MessageItem } from './MessageItem';
import { msg } from './test-messages';
import { buildTimeline, type TimelineItem } from './timeline';

const me = { id: 'u-me', username: 'me' };
const noop = () => undefined;
const wrap = (item: TimelineItem, onRetry = noop) =>
  render(
    <ol>
      <MessageItem item={item} me={me} onRetry={onRetry} onDiscard={noop} />
    </ol>,
  );

afterEach(cleanup);

describe('MessageItem', () => {
  it('renders HTML in a message as text, never as elements', () => {
    const payload = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    const { container } = wrap({ kind: 'message', key: 'k', message: msg('1', { text: payload }), continued: false, newDay: false });
    expect(container.querySelector('img, script')).toBeNull();
    expect(container.querySelector('.message-text')?.textContent).toBe(payload);
  });

  it('shows a stored right-to-left override without its power to reverse the text after it', () => {
    const { container } = wrap({ kind: 'message', key: 'k', message: msg('1', { text: 'invoice\u202Efdp.exe' }), continued: false, newDay: false });
    expect(container.querySelector('.message-text')?.textContent).toBe('invoicefdp.exe');
  });

  it('shows author and time, and styles the user’s own messages apart', () => {
    const { container } = wrap({ kind: 'message', key: 'k', message: msg('1', { author: me }), continued: false, newDay: false });
    expect(container.querySelector('.message-own')).not.toBeNull();
    expect(screen.getByText('You')).toBeTruthy();
    expect(container.querySelector('time')?.getAttribute('datetime')).toBe(msg('1').createdAt);
  });

  it('opens links in a new tab without giving the page a handle on ours', () => {
    wrap({ kind: 'message', key: 'k', message: msg('1', { text: 'look https://example.com/x' }), continued: false, newDay: false });
    const link = screen.getByRole('link', { name: 'https://example.com/x' });
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(link.getAttribute('target')).toBe('_blank');
  });

  it('offers a retry for a failed send', () => {
    const onRetry = vi.fn();
    const pending = { clientMessageId: 'c1', text: 'hi', createdAt: '2026-01-01T00:00:00Z', status: 'failed' as const, error: 'Not sent: no connection' };
    wrap({ kind: 'pending', key: 'k', pending, continued: false, newDay: false }, onRetry);
    expect(screen.getByText('Not sent: no connection')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(onRetry).toHaveBeenCalledWith(pending);
  });
});

describe('MessageItem with the user’s own changes still in the outbox', () => {
  const actions: MessageActions = {
    react: vi.fn(),
    pickReaction: noop,
    reply: noop,
    startEdit: noop,
    saveEdit: async () => null,
    cancelEdit: noop,
    remove: noop,
    report: noop,
    canModerate: false,
    jumpTo: noop,
  };
  const queuedItem = (outbox: OutboxItem[]) => buildTimeline([[msg('1', { author: me, text: 'before', reactions: [{ emoji: '👍', count: 1, users: [{ id: 'u-other', username: 'other' }], me: false, order: '1' }] })]], [], [], me, [], true, outbox)[0]!;
  const item = (kind: 'edit' | 'react', seq: number): OutboxItem =>
    kind === 'edit'
      ? { kind, input: { messageId: '1', text: 'after' }, id: `e${seq}`, seq, roomId: 'r', createdAt: '', state: { status: 'pending' } }
      : { kind, input: { messageId: '1', emoji: '👍', on: true }, id: `r${seq}`, seq, roomId: 'r', createdAt: '', state: { status: 'pending' } };

  it('shows a queued edit’s text in place, marked as not saved yet', () => {
    const { container } = render(
      <ol>
        <MessageItem item={queuedItem([item('edit', 1)])} me={me} onRetry={noop} onDiscard={noop} actions={actions} />
      </ol>,
    );
    expect(container.querySelector('.message-text')?.textContent).toBe('after');
    expect(container.querySelector('.message-edit-pending')).not.toBeNull();
    expect(screen.getByText('Edit not saved yet; saves by itself')).toBeTruthy();
  });

  it('shows a queued reaction toggled on, in the pending style, and its refusal puts it back', () => {
    const { container, rerender } = render(
      <ol>
        <MessageItem item={queuedItem([item('react', 2)])} me={me} onRetry={noop} onDiscard={noop} actions={actions} />
      </ol>,
    );
    const pill = container.querySelector('.reaction-pill-pending');
    expect(pill?.getAttribute('aria-pressed')).toBe('true');
    expect(pill?.textContent).toBe('👍2');
    expect(pill?.getAttribute('aria-label')).toMatch(/\(not sent yet\)$/);
    const refused: OutboxItem = { ...item('react', 2), state: { status: 'failed', reason: 'A moderator muted you until 10:00.' } };
    rerender(
      <ol>
        <MessageItem item={queuedItem([refused])} me={me} onRetry={noop} onDiscard={noop} actions={actions} />
      </ol>,
    );
    expect(container.querySelector('.reaction-pill-pending')).toBeNull();
    expect(container.querySelector('.reaction-pill')?.getAttribute('aria-pressed')).toBe('false');
    expect(container.querySelector('.reaction-pill')?.textContent).toBe('👍1');
  });
});

describe('MessageItem formatting', () => {
  const render1 = (text: string, over: Parameters<typeof msg>[1] = {}) => wrap({ kind: 'message', key: 'k', message: msg('1', { text, ...over }), continued: false, newDay: false }).container;

  it('renders the Markdown subset as elements, and a javascript: link as text', () => {
    const c = render1('**bold** _it_ ~~gone~~ `x` [ok](https://example.com) [bad](javascript:alert(1))');
    expect(c.querySelector('strong')?.textContent).toBe('bold');
    expect(c.querySelector('em')?.textContent).toBe('it');
    expect(c.querySelector('s')?.textContent).toBe('gone');
    expect(c.querySelector('code')?.textContent).toBe('x');
    const links = [...c.querySelectorAll('a')];
    expect(links.map((a) => [a.textContent, a.getAttribute('href'), a.getAttribute('target'), a.getAttribute('rel')])).toEqual([['ok', 'https://example.com/', '_blank', 'noopener noreferrer']]);
    expect(c.querySelector('.message-text')?.textContent).toContain('[bad](javascript:alert(1))');
  });
});

describe('MessageItem lifecycle', () => {
  const ann = { id: 'u-ann', username: 'ann' };
  const item = (over: Parameters<typeof msg>[1]): TimelineItem => ({ kind: 'message', key: 'k', message: msg('1', over), continued: false, newDay: false });
  const actions = { react: vi.fn(), pickReaction: vi.fn(), reply: vi.fn(), startEdit: vi.fn(), saveEdit: vi.fn(), cancelEdit: vi.fn(), remove: vi.fn(), report: vi.fn(), canModerate: false, jumpTo: vi.fn() };
  const renderWith = (it: TimelineItem, canModerate = false) =>
    render(
      <ol>
        <MessageItem item={it} me={me} onRetry={noop} onDiscard={noop} actions={{ ...actions, canModerate }} />
      </ol>,
    );

  it('shows a root’s thread (N replies, last repliers) and opens it; a deleted root keeps it; a reply has no "Open thread"', () => {
    // Named "Open thread", not "Reply in thread" (its tooltip): "Reply" alone must keep naming one button of the toolbar.
    const openThread = vi.fn();
    const thread = { replyCount: 2, lastReplyAt: '2026-01-01T13:05:00.000Z', repliers: [{ id: 'u-a', username: 'ann' }, { id: 'u-b', username: 'bob' }] };
    const withThread = (fields: Parameters<typeof item>[0]) =>
      render(
        <ol>
          <MessageItem item={item(fields)} me={me} onRetry={noop} onDiscard={noop} actions={{ ...actions, openThread }} />
        </ol>,
      );
    const { container, unmount } = withThread({ thread });
    expect(container.querySelector('.thread-summary')?.textContent).toContain('2 replies');
    expect(container.querySelectorAll('.thread-summary-repliers > *')).toHaveLength(2);
    fireEvent.click(screen.getByRole('button', { name: /2 replies.*open the thread/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Open thread' }));
    expect(openThread).toHaveBeenCalledTimes(2);
    unmount();
    const deleted = withThread({ text: '', deleted: { at: '2026-01-01T13:00:00.000Z', by: 'author' }, thread });
    expect(deleted.container.querySelector('.thread-summary')).not.toBeNull();
    deleted.unmount();
    withThread({ threadRootId: '1', alsoInRoom: true });
    expect(screen.queryByRole('button', { name: 'Open thread' })).toBeNull();
    expect(screen.getByText('Replied in a thread')).toBeTruthy();
  });

  it('shows a deleted message as a placeholder without actions', () => {
    const { container } = renderWith(item({ text: '', deleted: { at: '2026-01-01T13:00:00.000Z', by: 'author' }, author: me }));
    expect(container.querySelector('.message-deleted-text')?.textContent).toBe('Message deleted');
    expect(screen.queryByRole('toolbar')).toBeNull();
  });

  it('offers edit and delete only on the user’s own messages, report on others’, and remove to moderators', () => {
    renderWith(item({ author: ann }));
    const names = () => screen.getAllByRole('button').map((b) => b.getAttribute('aria-label'));
    expect(names()).toEqual(['Add a reaction', 'Reply', 'Report message']);
    cleanup();
    renderWith(item({ author: me }));
    expect(names()).toEqual(['Add a reaction', 'Reply', 'Edit message', 'Delete message']);
    cleanup();
    renderWith(item({ author: ann }), true);
    expect(names()).toEqual(['Add a reaction', 'Reply', 'Report message', 'Remove message (moderator)']);
    cleanup();
    renderWith(item({ author: me }), true);
    expect(names()).toEqual(['Add a reaction', 'Reply', 'Edit message', 'Delete message']);
  });

  it('says a moderator removed a message', () => {
    const { container } = renderWith(item({ text: '', deleted: { at: '2026-01-01T13:00:00.000Z', by: 'moderator' }, author: ann }), true);
    expect(container.querySelector('.message-deleted-text')?.textContent).toBe('Removed by a moderator');
    expect(screen.queryByRole('toolbar')).toBeNull();
  });

  it('shows "edited" with the time, reaction pills that toggle, and a quote that jumps', () => {
    const reactions = [{ emoji: '👍', count: 3, users: [ann, me], me: true, order: '7' }];
    const { container } = renderWith(item({ editedAt: '2026-01-01T12:30:00.000Z', reactions, replyTo: { id: '0', author: ann, excerpt: 'first', deleted: false } }));
    expect(container.querySelector('.message-edited')?.getAttribute('title')).toMatch(/^Edited /);
    const pill = screen.getByRole('button', { name: '👍 3: ann, you and 1 other' });
    expect(pill.getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(pill);
    expect(actions.react).toHaveBeenCalledWith(expect.objectContaining({ id: '1' }), '👍', false);
    fireEvent.click(screen.getByRole('button', { name: /^Reply to ann: first/ }));
    expect(actions.jumpTo).toHaveBeenCalledWith('0');
  });
});

