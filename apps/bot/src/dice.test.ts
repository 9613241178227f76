import { describe, expect, it } from 'vitest';
import { parseDice, rollDice } from './dice';

describe('parseDice', () => {
  it('reads NdM, and d20 as one die', () => {
    expect(parseDice('2d6')).toEqual({ ok: true, spec: { count: 2, sides: 6 } });
    expect(parseDice(' 3D10 ')).toEqual({ ok: true, spec: { count: 3, sides: 10 } });
    expect(parseDice('d20')).toEqual({ ok: true, spec: { count: 1, sides: 20 } });
  });

  it('accepts the bounds and refuses beyond them', () => {
    expect(parseDice('100d1000').ok).toBe(true);
    expect(parseDice('1d2').ok).toBe(true);
    expect(parseDice('0d6')).toMatchObject({ ok: false, reason: expect.stringMatching(/1–100 dice/) });
    expect(parseDice('101d6')).toMatchObject({ ok: false, reason: expect.stringMatching(/1–100 dice/) });
    expect(parseDice('2d1')).toMatchObject({ ok: false, reason: expect.stringMatching(/2–1000 sides/) });
    expect(parseDice('2d1001')).toMatchObject({ ok: false, reason: expect.stringMatching(/2–1000 sides/) });
  });

  it('refuses what is not NdM', () => {
    for (const text of ['', '2', 'd', '2x6', '-1d6', '2d6+1', '99999d6', '1.5d6']) {
      expect(parseDice(text).ok, text).toBe(false);
    }
  });
});

describe('rollDice', () => {
  it('maps random numbers onto 1..sides', () => {
    const values = [0, 0.999, 0.5];
    expect(rollDice({ count: 3, sides: 6 }, () => values.shift()!)).toEqual([1, 6, 4]);
  });

  it('stays within bounds with the real random', () => {
    const rolls = rollDice({ count: 100, sides: 2 });
    expect(rolls).toHaveLength(100);
    expect(rolls.every((r) => r === 1 || r === 2)).toBe(true);
  });
});
