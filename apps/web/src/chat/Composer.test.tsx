// @vitest-environment happy-dom
import { MESSAGE_MAX } from '@chat/api/schemas';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Composer } from './Composer';

function Harness({ onSend, initial = '' }: { onSend(text: string): void; initial?: string }) {
  const [draft, setDraft] = useState(initial);
  return <Composer draft={draft} onDraftChange={setDraft} onSend={onSend} />;
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
});
