import { describe, expect, it } from 'vitest';
import { mentionNames } from './mention-names';

describe('mentionNames', () => {
  it('finds @usernames lower-cased with their position, not e-mail addresses', () => {
    expect(mentionNames('hi @Ada and @bob_2, mail me@example.com')).toEqual([
      { name: 'ada', position: 3 },
      { name: 'bob_2', position: 12 },
    ]);
  });

  it('also tries a name without the full stop that ends a sentence', () => {
    expect(mentionNames('thanks @ada.')).toEqual([
      { name: 'ada.', position: 7 },
      { name: 'ada', position: 7 },
    ]);
  });

  it('ignores names too short to be usernames', () => {
    expect(mentionNames('@ab @ @')).toEqual([]);
  });
});
