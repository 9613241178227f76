import { describe, expect, it } from 'vitest';
import { decideScroll } from './scroll-decision';

const edges = (firstKey: string | null, lastKey: string | null) => ({ firstKey, lastKey });

describe('decideScroll', () => {
  it('starts at the bottom once the first page arrives', () => {
    expect(decideScroll(edges(null, null), edges('1', '50'), true, false)).toBe('jump-to-bottom');
  });

  it('follows new messages while the reader is at the bottom', () => {
    expect(decideScroll(edges('1', '50'), edges('1', '51'), true, false)).toBe('follow');
  });

  it('shows the pill instead when the reader has scrolled up', () => {
    expect(decideScroll(edges('1', '50'), edges('1', '51'), false, false)).toBe('notify');
  });

  it('always follows the reader’s own send', () => {
    expect(decideScroll(edges('1', '50'), edges('1', 'c:me:x'), false, true)).toBe('follow');
  });

  it('keeps the position when older messages load above', () => {
    expect(decideScroll(edges('51', '100'), edges('1', '100'), false, false)).toBe('keep-position');
  });

  it('does nothing when the edges did not move (a pending send confirmed in place)', () => {
    expect(decideScroll(edges('1', '50'), edges('1', '50'), false, false)).toBe('none');
  });
});
