import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareIds, idAfter, MAX_SEQUENCE_ID, moreThanApart, nextId } from './ids';

/** Any id a sequence can hand out, "0" (the empty log's cursor) included, as the wire carries it. */
const id = fc.bigInt({ min: 0n, max: BigInt(MAX_SEQUENCE_ID) }).map((n) => n.toString());
const sign = (n: number) => (n > 0 ? 1 : n < 0 ? -1 : 0);

describe('message and event ids', () => {
  it('compare as the numbers they are, whatever their lengths', () => {
    fc.assert(
      fc.property(id, id, (a, b) => {
        const order = BigInt(a) > BigInt(b) ? 1 : BigInt(a) < BigInt(b) ? -1 : 0;
        expect(sign(compareIds(a, b))).toBe(order);
        expect(idAfter(a, b)).toBe(order === 1);
      }),
      { numRuns: 2000 },
    );
  });

  it('step and measure distance as numbers do', () => {
    fc.assert(
      fc.property(id, id, fc.nat(), (a, b, count) => {
        expect(nextId(a)).toBe((BigInt(a) + 1n).toString());
        expect(moreThanApart(a, b, count)).toBe(BigInt(b) - BigInt(a) > BigInt(count));
      }),
    );
  });

  it('order "9" before "10" (the comparison that plain string order gets wrong)', () => {
    expect(idAfter('10', '9')).toBe(true);
    expect(compareIds('9', '10')).toBeLessThan(0);
  });
});
