import { describe, expect, it } from 'vitest';
import { Slots } from './slots';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('Slots', () => {
  it('lets no more than its size run at once, and runs every piece of work', async () => {
    const slots = new Slots(2);
    let running = 0;
    let most = 0;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        slots.run(async () => {
          running += 1;
          most = Math.max(most, running);
          await tick();
          running -= 1;
          return i;
        }),
      ),
    );
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(most).toBe(2);
    expect(slots.inUse).toBe(0);
  });

  it('frees the slot of work that fails', async () => {
    const slots = new Slots(1);
    await expect(slots.run(async () => Promise.reject(new Error('decoder failed')))).rejects.toThrow('decoder failed');
    expect(await slots.run(async () => 'next')).toBe('next');
    expect(slots.inUse).toBe(0);
  });

  it('refuses a size that would let nothing or everything run', () => {
    for (const size of [0, -1, 1.5, Number.NaN]) expect(() => new Slots(size)).toThrow(RangeError);
  });
});
