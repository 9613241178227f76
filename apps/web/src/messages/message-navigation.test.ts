import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NAVIGATION_KEYS, targetIndex } from './message-navigation';

describe('targetIndex', () => {
  it('always lands on a message that exists, whatever the key, position and page size', () => {
    fc.assert(
      fc.property(fc.constantFrom(...NAVIGATION_KEYS), fc.integer({ min: 1, max: 500 }), fc.nat(), fc.integer({ min: -3, max: 60 }), (key, count, at, perPage) => {
        const current = at % count;
        const next = targetIndex(key, current, count, perPage);
        expect(next).toBeGreaterThanOrEqual(0);
        expect(next).toBeLessThan(count);
      }),
    );
  });

  it('moves toward older messages on Up keys and newer on Down keys, by at most a page', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.nat(), fc.integer({ min: 1, max: 60 }), (count, at, perPage) => {
        const current = at % count;
        expect(targetIndex('ArrowUp', current, count, perPage)).toBe(Math.max(0, current - 1));
        expect(targetIndex('ArrowDown', current, count, perPage)).toBe(Math.min(count - 1, current + 1));
        const up = targetIndex('PageUp', current, count, perPage);
        const down = targetIndex('PageDown', current, count, perPage);
        expect(current - up).toBe(Math.min(current, perPage));
        expect(down - current).toBe(Math.min(count - 1 - current, perPage));
      }),
    );
  });

  it('goes to the oldest loaded message on Home and the newest on End', () => {
    expect(targetIndex('Home', 7, 10, 3)).toBe(0);
    expect(targetIndex('End', 2, 10, 3)).toBe(9);
    expect(targetIndex('End', 0, 0, 3)).toBe(-1);
  });
});
