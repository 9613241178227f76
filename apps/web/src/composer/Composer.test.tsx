// @vitest-environment happy-dom
import { MESSAGE_MAX } from '@chat/api/schemas';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testProviders } from '../api/test-providers';
import { Composer } from './Composer';

// The @ completion asks the server only once "@" is typed; these tests never type one.
const Providers = testProviders();

function Harness({ onSend, initial = '' }: { onSend(text: string): void; initial?: string }) {
  const [draft, setDraft] = useState(initial);
  return (
    <Providers>
      <Composer draft={draft} onDraftChange={setDraft} onSend={onSend} />
    </Providers>
  );
}

const box = () => screen.getByLabelText<HTMLTextAreaElement>('Message');

afterEach(cleanup);

describe('Composer', () => {
  it('sends the trimmed text on Enter and clears the box', () => {
    const onSend = vi.fn();
    render(<Harness onSend={onSend} />);
    fireEvent.change(box(), { target: { value: '  hello there  ' } });
    fireEvent.keyDown(box(), { key: 'Enter' });
    expect(onSend).toHaveBeenCalledWith('hello there');
    expect(box().value).toBe('');
  });

  it('keeps Shift+Enter for a new line', () => {
    const onSend = vi.fn();
    render(<Harness onSend={onSend} initial="line one" />);
    fireEvent.keyDown(box(), { key: 'Enter', shiftKey: true });
    expect(onSend).not.toHaveBeenCalled();
  });

  it('does not send an empty message', () => {
    const onSend = vi.fn();
    render(<Harness onSend={onSend} initial="   " />);
    fireEvent.keyDown(box(), { key: 'Enter' });
    expect(onSend).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Send message' })).toHaveProperty('disabled', true);
  });

  it('shows the limit before the server would refuse, and refuses past it', () => {
    const onSend = vi.fn();
    render(<Harness onSend={onSend} initial={'a'.repeat(MESSAGE_MAX + 5)} />);
    expect(screen.getByText(`5 over the ${MESSAGE_MAX} limit`)).toBeTruthy();
    fireEvent.keyDown(box(), { key: 'Enter' });
    expect(onSend).not.toHaveBeenCalled();
  });

  it('edits the last message on ArrowUp only while the box is empty', () => {
    const onEditLast = vi.fn(() => true);
    const { rerender } = render(<Composer draft="" onDraftChange={vi.fn()} onSend={vi.fn()} onEditLast={onEditLast} />, { wrapper: Providers });
    fireEvent.keyDown(box(), { key: 'ArrowUp' });
    expect(onEditLast).toHaveBeenCalledTimes(1);
    rerender(<Composer draft="typing" onDraftChange={vi.fn()} onSend={vi.fn()} onEditLast={onEditLast} />);
    fireEvent.keyDown(box(), { key: 'ArrowUp' });
    expect(onEditLast).toHaveBeenCalledTimes(1);
  });

  it('shows whom a reply answers, and Escape or × cancels it', () => {
    const onCancelReply = vi.fn();
    const replyTo = { id: '7', author: { id: 'u-ann', username: 'ann' }, excerpt: 'the **plan**', deleted: false };
    render(<Composer draft="" onDraftChange={vi.fn()} onSend={vi.fn()} replyTo={replyTo} meId="u-me" onCancelReply={onCancelReply} />, { wrapper: Providers });
    expect(screen.getByRole('status').textContent).toBe('Replying to annthe plan×');
    fireEvent.keyDown(box(), { key: 'Escape' });
    fireEvent.click(screen.getByRole('button', { name: 'Cancel reply' }));
    expect(onCancelReply).toHaveBeenCalledTimes(2);
  });
});

