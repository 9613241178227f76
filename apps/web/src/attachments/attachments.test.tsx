// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testProviders } from '../api/test-providers';
import { MessageAttachments, thumbnailBox } from './MessageAttachments';
import { UploadChips } from './UploadChips';

const Providers = testProviders();

const id = (n: number) => n.toString(16).padStart(32, '0');

afterEach(cleanup);

describe('UploadChips', () => {
  it('says when a message would carry too many files', () => {
    render(<UploadChips queue={[{ localId: 'x', name: 'x', size: 1, status: 'ready', attachmentId: id(1) }]} onRemove={vi.fn()} tooMany />);
    expect(screen.getByRole('alert').textContent).toMatch(/at most 10 files/);
  });
});

describe('MessageAttachments', () => {
  it('reserves each thumbnail at the image aspect ratio before it loads, and shows other files as cards', () => {
    render(
      <Providers>
        <MessageAttachments
          attachments={[
            { id: id(1), name: 'wide.png', type: 'image/png', size: 1000, kind: 'image', width: 1600, height: 400, animated: false },
            { id: id(2), name: 'report.pdf', type: 'application/pdf', size: 2048, kind: 'file' },
          ]}
        />
      </Providers>,
    );
    const thumb = screen.getByRole('button', { name: 'Open image wide.png' });
    expect(thumb.style.width).toBe('280px');
    expect(thumb.style.aspectRatio.replace(/\s/g, '')).toBe('1600/400');
    expect(screen.getByText('report.pdf')).toBeTruthy();
    expect(screen.getByText('application/pdf · 2.0 KB')).toBeTruthy();
  });

  it('scales thumbnails down to fit, never up', () => {
    expect(thumbnailBox(1600, 400)).toEqual({ width: 280, height: 70 });
    expect(thumbnailBox(300, 900)).toEqual({ width: 93, height: 280 });
    expect(thumbnailBox(40, 20)).toEqual({ width: 40, height: 20 });
  });
});
