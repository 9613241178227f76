import { describe, expect, it } from 'vitest';
import { segmentText } from './linkify';

describe('segmentText', () => {
  it('keeps plain text, HTML included, as text', () => {
    expect(segmentText('<img src=x onerror=alert(1)>')).toEqual([{ kind: 'text', text: '<img src=x onerror=alert(1)>' }]);
  });

  it('makes http(s) links, leaving sentence punctuation outside', () => {
    expect(segmentText('see https://example.com/a?b=1, then')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
      { kind: 'text', text: ', then' },
    ]);
  });

  it('keeps balanced parentheses in a link', () => {
    const [, link] = segmentText('(https://en.wikipedia.org/wiki/Foo_(bar))');
    expect(link).toMatchObject({ kind: 'link', text: 'https://en.wikipedia.org/wiki/Foo_(bar)' });
  });

  it('never links other schemes', () => {
    expect(segmentText('javascript:alert(1) data:text/html,hi').every((s) => s.kind === 'text')).toBe(true);
  });

  it('finds @mentions but not e-mail addresses', () => {
    expect(segmentText('hi @ada_l. mail me@x.org')).toEqual([
      { kind: 'text', text: 'hi ' },
      { kind: 'mention', text: '@ada_l', username: 'ada_l' },
      { kind: 'text', text: '. mail me@x.org' },
    ]);
  });
});
