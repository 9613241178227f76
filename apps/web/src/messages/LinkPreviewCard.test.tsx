// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testProviders } from '../api/test-providers';
import { LinkPreviewCard } from './LinkPreviewCard';
import { MessageItem } from './MessageItem';
import type { MessageActions } from './message-actions';
import { msg } from './test-messages';

afterEach(cleanup);

const stored = 'a'.repeat(32);
const card = { url: 'https://news.example/story', title: 'A story', description: 'What happened', siteName: 'News', image: { url: 'https://news.example/i.png', width: 1200, height: 600, attachmentId: stored } };
const Providers = testProviders();
const me = { id: 'u-me', username: 'me' };
const noop = () => undefined;

describe('LinkPreviewCard', () => {
  it('shows site, title and description as a link that opens in a new tab without a handle on ours', () => {
    const { container } = render(<LinkPreviewCard preview={card} />, { wrapper: Providers });
    const link = container.querySelector('a')!;
    expect(link.getAttribute('href')).toBe(card.url);
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(link.textContent).toContain('News');
    expect(link.textContent).toContain('A story');
    expect(link.textContent).toContain('What happened');
  });

  it('reserves the stored image’s aspect ratio while its ticket comes, and never loads the page’s own image URL', () => {
    const { container } = render(<LinkPreviewCard preview={card} />, { wrapper: Providers });
    const box = container.querySelector<HTMLElement>('.link-preview-image')!;
    expect(box.style.aspectRatio).toBe('1200 / 600');
    expect(container.querySelector('img')).toBeNull();
  });

  it('reserves Open Graph’s 1.91:1 when the page gave no size', () => {
    const { container } = render(<LinkPreviewCard preview={{ ...card, image: { url: 'https://news.example/i.png', attachmentId: stored } }} />, { wrapper: Providers });
    expect(container.querySelector<HTMLElement>('.link-preview-image')!.style.aspectRatio).toBe('1.91 / 1');
  });

  it('shows no image when the server stored none (a card from before decision 141): the CSP would block the page’s URL anyway', () => {
    const { container } = render(<LinkPreviewCard preview={{ ...card, image: { url: 'https://news.example/i.png', width: 10, height: 10 } }} />);
    expect(container.querySelector('.link-preview-image')).toBeNull();
    expect(container.querySelector('img')).toBeNull();
  });

  it('drops the image box when the stored image cannot be read (its ticket refused)', async () => {
    // No server behind the test client: file.ticket fails, as a refused one does. The card stays, the image goes.
    const { container } = render(<LinkPreviewCard preview={card} />, { wrapper: Providers });
    await vi.waitFor(() => expect(container.querySelector('.link-preview-image')).toBeNull(), { timeout: 5_000 });
    expect(container.querySelector('.link-preview-title')!.textContent).toBe('A story');
  });

  it('renders nothing for a card whose link is not http(s) (never a javascript: link)', () => {
    const { container } = render(<LinkPreviewCard preview={{ ...card, url: 'javascript:alert(1)' }} />);
    expect(container.innerHTML).toBe('');
  });

  it('shows the host when the page named no site, and title text as text, never as markup', () => {
    const { container } = render(<LinkPreviewCard preview={{ url: 'https://x.example/a', title: '<img src=x onerror=alert(1)>' }} />);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('.link-preview-site')!.textContent).toBe('x.example');
    expect(container.querySelector('.link-preview-title')!.textContent).toBe('<img src=x onerror=alert(1)>');
  });
});

describe('MessageItem with a preview', () => {
  const actions = (removePreview: (m: unknown) => void) =>
    ({ react: noop, pickReaction: noop, reply: noop, startEdit: noop, saveEdit: async () => null, cancelEdit: noop, remove: noop, report: noop, canModerate: false, jumpTo: noop, removePreview }) as MessageActions;

  it('gives the author a remove button that calls removePreview with the message', () => {
    const removePreview = vi.fn();
    const message = msg('1', { author: me, text: card.url, preview: card });
    render(<Providers><ol><MessageItem item={{ kind: 'message', key: 'k', message, continued: false, newDay: false }} me={me} onRetry={noop} onDiscard={noop} actions={actions(removePreview)} /></ol></Providers>);
    fireEvent.click(screen.getByRole('button', { name: 'Remove link preview' }));
    expect(removePreview).toHaveBeenCalledWith(message);
  });

  it('gives others no remove button, and shows no card on a deleted message', () => {
    const others = msg('2', { text: card.url, preview: card });
    const { container } = render(<Providers><ol><MessageItem item={{ kind: 'message', key: 'k', message: others, continued: false, newDay: false }} me={me} onRetry={noop} onDiscard={noop} actions={actions(noop)} /></ol></Providers>);
    expect(container.querySelector('.link-preview')).not.toBeNull();
    expect(screen.queryByRole('button', { name: 'Remove link preview' })).toBeNull();
    cleanup();
    const deleted = render(<Providers><ol><MessageItem item={{ kind: 'message', key: 'k', message: msg('3', { text: '', deleted: { at: others.createdAt, by: 'author' }, preview: card }), continued: false, newDay: false }} me={me} onRetry={noop} onDiscard={noop} /></ol></Providers>);
    expect(deleted.container.querySelector('.link-preview')).toBeNull();
  });
});
