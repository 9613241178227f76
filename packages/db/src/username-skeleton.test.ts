import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { usernameSkeleton } from './username-skeleton';

const same = (a: string, b: string) => expect(usernameSkeleton(a), `${a} vs ${b}`).toBe(usernameSkeleton(b));
const differ = (a: string, b: string) => expect(usernameSkeleton(a), `${a} vs ${b}`).not.toBe(usernameSkeleton(b));

describe('usernameSkeleton', () => {
  it('folds the ASCII look-alikes of a name together', () => {
    for (const lookAlike of ['aIice', 'a1ice', 'ALICE', 'Alice', 'a|ice', 'alice_', '_alice', 'a.lice', 'al-ice', 'AL1CE']) same(lookAlike, 'alice');
    same('rnary', 'mary');
    same('MARY', 'rnary');
    same('b0b', 'bob');
    same('BOB', 'b0b');
    same('vvalter', 'walter');
    same('clave', 'dave');
    same('adm1n', 'admin');
  });

  it('folds look-alikes from other scripts through the TR39 data (Cyrillic а, Greek ο, fullwidth, accents)', () => {
    same('\u0430lice', 'alice');
    same('b\u03BFb', 'bob');
    same('\uFF41lice', 'alice');
    same('\u{1D41A}lice', 'alice');
  });

  it('keeps names that do not look alike apart', () => {
    differ('alice', 'alicia');
    differ('bob', 'rob');
    differ('mary', 'nary');
    differ('user1', 'user2');
    differ('a_b', 'axb');
  });

  it('reaches a fixed point for every code point of the Basic Multilingual Plane', () => {
    for (let cp = 0; cp < 0x10000; cp++) {
      if (cp >= 0xd800 && cp < 0xe000) continue;
      const once = usernameSkeleton(String.fromCodePoint(cp));
      if (usernameSkeleton(once) !== once) expect.fail(`U+${cp.toString(16)}: ${once} is not stable`);
    }
  });

  it('is idempotent on any string, and the same for two spellings that differ only by look-alikes', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 16 }), (s) => usernameSkeleton(usernameSkeleton(s)) === usernameSkeleton(s)));
    const lookAlikes: Array<[string, string]> = [['l', 'I'], ['l', '1'], ['o', '0'], ['m', 'rn'], ['w', 'vv'], ['d', 'cl'], ['a', 'A'], ['e', '\u0435']];
    const part = fc.oneof(fc.stringMatching(/^[a-z0-9]{0,4}$/), fc.constantFrom(...lookAlikes.map(([a]) => a)));
    fc.assert(
      fc.property(fc.array(part, { maxLength: 6 }), fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), (parts, flips) => {
        const swapped = parts.map((p, i) => (flips[i] ? (lookAlikes.find(([a]) => a === p)?.[1] ?? p) : p));
        return usernameSkeleton(parts.join('')) === usernameSkeleton(swapped.join(''));
      }),
    );
  });
});
