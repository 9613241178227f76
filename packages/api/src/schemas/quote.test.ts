import { describe, expect, it } from 'vitest';
import { QUOTE_EXCERPT_MAX, quoteExcerpt } from './quote';

describe('quoteExcerpt', () => {
  it('takes the first non-blank line, trimmed', () => {
    expect(quoteExcerpt('\n   \n  hello there  \nsecond')).toBe('hello there');
    expect(quoteExcerpt('one\u2028two')).toBe('one');
    expect(quoteExcerpt('')).toBe('');
  });

  it('cuts at QUOTE_EXCERPT_MAX code points, the ellipsis included, never inside an emoji', () => {
    const cut = quoteExcerpt('🔥'.repeat(200));
    expect([...cut]).toHaveLength(QUOTE_EXCERPT_MAX);
    expect(cut.endsWith('🔥…')).toBe(true);
    expect(quoteExcerpt('x'.repeat(QUOTE_EXCERPT_MAX))).toBe('x'.repeat(QUOTE_EXCERPT_MAX));
    // A cut right after a space drops the space.
    expect(quoteExcerpt(`${'x'.repeat(118)}  tail`)).toBe(`${'x'.repeat(118)}…`);
  });
});
