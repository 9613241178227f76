// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageText } from './MessageText';

afterEach(cleanup);

describe('MessageText', () => {
  it('shows an @name as a chip only when the server lists it as a mention, the viewer’s own more strongly', () => {
    const { container: c } = render(<MessageText text="hi @meg and @ann, not @nobody" me="Meg" mentions={[{ username: "meg" }, { username: "Ann" }]} />);
    expect([...c.querySelectorAll('.mention')].map((m) => [m.textContent, m.classList.contains('mention-me')])).toEqual([
      ["@meg", true],
      ['@ann', false],
    ]);
    expect(c.querySelector('.message-text')?.textContent).toBe("hi @meg and @ann, not @nobody");
  });

  it('shows no chip for a message the server found no mentions in (a pending one, say)', () => {
    const { container } = render(<MessageText text="hi @meg" me="meg" />);
    expect(container.querySelector('.mention')).toBeNull();
  });

  it('keeps an embedding opened inside bold text from reaching past it', () => {
    const { container } = render(<MessageText text={'**\u202Bx** y'} me="me" />);
    expect(container.querySelector('strong')?.textContent).toBe('\u202Bx\u202C');
  });
});
