// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useReducer, useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testProviders } from '../api/test-providers';
import { Composer } from './Composer';
import { summarize, uploadQueue } from '../attachments/upload-queue';
import type { Uploads } from '../attachments/use-uploads';

const Providers = testProviders();

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
    forOutbox: null,
    handedOver: () => undefined,
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
