import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KEYBOARD_PASSWORD_MESSAGE, passwordPatternProblem, REPETITIVE_PASSWORD_MESSAGE, SEQUENTIAL_PASSWORD_MESSAGE } from './password-patterns';

describe('passwordPatternProblem', () => {
  it.each([
    'aaaaaaaa', '00000000', 'ZZZZZZZZZZZZ', '🔥🔥🔥🔥🔥🔥🔥🔥', 'abababab', 'AbAbAbAb', '12121212', 'abcabcab', 'passpass', 'secret1secret1',
    'aaaaaaaa2024', 'xyxyxyxy!!', '1aaaaaaaa', 'hello hello world',
  ])('refuses the repetitive %s', (password) => {
    expect(passwordPatternProblem(password)).toBe(REPETITIVE_PASSWORD_MESSAGE);
  });

  it.each(['abcdefgh', 'ABCDEFGH', '87654321', '0123456789', 'zyxwvuts', '13579135', '97531xyz', 'acegikmo', 'abcdefgh1!', 'αβγδεζηθ', 'mno12345678'])(
    'refuses the sequential %s',
    (password) => {
      expect(passwordPatternProblem(password)).toBe(SEQUENTIAL_PASSWORD_MESSAGE);
    },
  );

  it.each(['qwertyui', 'asdfghjk', 'ASDFGHJKL', 'zxcvbnm,', 'poiuytrewq', 'lkjhgfds!', 'qwertzuiop', 'azertyuiop', 'mnbvcxz1'])('refuses the keyboard row %s', (password) => {
    expect(passwordPatternProblem(password)).toBe(KEYBOARD_PASSWORD_MESSAGE);
  });

  it.each([
    'correct horse battery staple',
    'correct horse battery',
    'pässwörd-ünïcode',
    'tr0ub4dor&3-xyzzy',
    'my cat is 12345 years old',
    'mydog123',
    'Summer2024!',
    'names-test-Kq7vX2',
    'aaa-bbb-ccc-ddd',
    'abc-Kq7vX2-zz',
    'qwe7Lp!x',
    'correct horse correct horse',
    '🔥🌊🔥🌊-mountain-tea',
    'S3cure-Passw0rd!',
  ])('accepts %s, where no run covers more than half', (password) => {
    expect(passwordPatternProblem(password)).toBeNull();
  });

  it('refuses any piece of up to 7 characters typed again and again to 8 or more', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 1, unit: 'grapheme-ascii' }), { minLength: 1, maxLength: 7 }), fc.integer({ min: 0, max: 6 }), (unit, cut) => {
        const copies = Math.max(2, Math.ceil(8 / unit.length));
        const password = unit.join('').repeat(copies + 1).slice(0, unit.length * copies + Math.min(cut, unit.length - 1));
        expect(passwordPatternProblem(password)).not.toBeNull();
      }),
    );
  });

  it('accepts passphrases of four distinct everyday words', () => {
    const words = ['correct', 'horse', 'battery', 'staple', 'orange', 'river', 'window', 'silver', 'garden', 'planet', 'coffee', 'mountain', 'yellow', 'pocket', 'thunder', 'violin'];
    fc.assert(
      fc.property(fc.uniqueArray(fc.constantFrom(...words), { minLength: 4, maxLength: 4 }), fc.constantFrom(' ', '-', '.', ''), (chosen, separator) => {
        expect(passwordPatternProblem(chosen.join(separator))).toBeNull();
      }),
    );
  });
});
