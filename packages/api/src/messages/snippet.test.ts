import { describe, expect, it } from 'vitest';
import { snippetSegments } from './snippet';

describe('snippetSegments', () => {
  it('splits a headline at the match marks', () => {
    expect(snippetSegments('We \u0002deployed\u0003 it \u0002today\u0003')).toEqual([
      { text: 'We ', match: false },
      { text: 'deployed', match: true },
      { text: ' it ', match: false },
      { text: 'today', match: true },
    ]);
  });

  it('merges adjacent matches and drops empty segments', () => {
    expect(snippetSegments('\u0002a\u0003\u0002b\u0003')).toEqual([{ text: 'ab', match: true }]);
    expect(snippetSegments('')).toEqual([]);
    expect(snippetSegments('plain')).toEqual([{ text: 'plain', match: false }]);
  });
});
