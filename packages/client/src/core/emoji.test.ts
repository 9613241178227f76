import { expect, it } from 'vitest';
import { sameEmoji } from './emoji';

it('takes an emoji with and without variation selector 16 as the same reaction, and different emoji as different', () => {
  expect(sameEmoji('👍', '👍\uFE0F')).toBe(true);
  expect(sameEmoji('❤', '❤️')).toBe(true);
  expect(sameEmoji('👍', '👍🏽')).toBe(false);
  expect(sameEmoji('👍', '👎')).toBe(false);
});
