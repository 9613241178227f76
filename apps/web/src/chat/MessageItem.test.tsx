// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MessageItem } from './MessageItem';
import { msg } from './test-messages';
import type { TimelineItem } from './timeline';

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
