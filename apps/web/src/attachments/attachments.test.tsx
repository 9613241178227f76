// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, useReducer, useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAnonymousClients } from '../api/session-clients';
import { trpc } from '../api/trpc';
import { Composer } from '../composer/Composer';
import { MessageAttachments, thumbnailBox } from './MessageAttachments';
import { summarize, uploadQueue } from './upload-queue';
import { UploadChips } from './UploadChips';
import type { Uploads } from './use-uploads';

const clients = createAnonymousClients();
function Providers({ children }: { children: ReactNode }) {
  return (
    <trpc.Provider client={clients.trpcClient} queryClient={clients.queryClient}>
      <QueryClientProvider client={clients.queryClient}>{children}</QueryClientProvider>
    </trpc.Provider>
  );
}

const id = (n: number) => n.toString(16).padStart(32, '0');

/** The composer with the real queue reducer behind it; `add` only records files (the network part is the e2e's). */
function Harness({ onSend, added }: { onSend(text: string, ids?: string[]): void; added: File[] }) {
  const [draft, setDraft] = useState('');
  const [queue, dispatch] = useReducer(uploadQueue, []);
  const uploads: Uploads = {
    queue,
    ...summarize(queue),
    add: (files) => {
      for (const f of files) {
        added.push(f);
        dispatch({ type: 'added', localId: f.name, name: f.name, size: f.size });
      }
    },
    remove: (localId) => dispatch({ type: 'removed', localId }),
    sent: () => dispatch({ type: 'sent' }),
  };
  return (
    <Providers>
      <Composer draft={draft} onDraftChange={setDraft} onSend={onSend} uploads={uploads} />
      <button type="button" onClick={() => dispatch({ type: 'progress', localId: 'a.pdf', sent: 50 })}>
        progress
      </button>
      <button type="button" onClick={() => dispatch({ type: 'finished', localId: 'a.pdf', attachmentId: id(1) })}>
        finish
      </button>
      <button type="button" onClick={() => dispatch({ type: 'refused', localId: 'b.exe', reason: 'This file is larger than 25 MB.' })}>
        refuse
      </button>
    </Providers>
  );
}

const box = () => screen.getByLabelText<HTMLTextAreaElement>('Message');

afterEach(cleanup);

describe('the composer with files', () => {
  it('takes pasted files, shows progress, waits for the upload before Enter sends, then sends the ids with the caption', () => {
    const onSend = vi.fn();
    const added: File[] = [];
    render(<Harness onSend={onSend} added={added} />);
    const files = [new File([new Uint8Array(100)], 'a.pdf', { type: 'application/pdf' }), new File([new Uint8Array(10)], 'b.exe')];
    fireEvent.paste(box(), { clipboardData: { files, getData: () => '' } });
    expect(added.map((f) => f.name)).toEqual(['a.pdf', 'b.exe']);
    fireEvent.click(screen.getByText('progress'));
    expect(screen.getByLabelText<HTMLProgressElement>('Uploading a.pdf').value).toBe(50);

    fireEvent.change(box(), { target: { value: 'the report' } });
    fireEvent.keyDown(box(), { key: 'Enter' });
    expect(onSend).not.toHaveBeenCalled();

    fireEvent.click(screen.getByText('refuse'));
    expect(screen.getByRole('alert').textContent).toMatch(/larger than 25 MB.*not be sent/);
    fireEvent.click(screen.getByText('finish'));
    fireEvent.keyDown(box(), { key: 'Enter' });
    expect(onSend).toHaveBeenCalledWith('the report', [id(1)]);
    // The sent file's chip is gone; the refused one stays with its sentence until removed.
    expect(screen.queryByText('a.pdf')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Remove b.exe' }));
    expect(screen.queryByText('b.exe')).toBeNull();
  });

  it('a file alone may be sent without text, and cancelling an upload removes its chip', () => {
    const onSend = vi.fn();
    render(<Harness onSend={onSend} added={[]} />);
    const input = screen.getByLabelText<HTMLInputElement>('Attach files', { selector: 'input' });
    fireEvent.change(input, { target: { files: [new File([new Uint8Array(100)], 'a.pdf'), new File([new Uint8Array(5)], 'c.txt')] } });
    fireEvent.click(screen.getByRole('button', { name: 'Cancel uploading c.txt' }));
    expect(screen.queryByText('c.txt')).toBeNull();
    fireEvent.click(screen.getByText('finish'));
    fireEvent.keyDown(box(), { key: 'Enter' });
    expect(onSend).toHaveBeenCalledWith('', [id(1)]);
  });
});

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
