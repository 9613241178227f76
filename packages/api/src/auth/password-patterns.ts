/**
 * Repetitive, sequential and keyboard-row passwords (NIST SP 800-63B §3.1.1.2 names the first two;
 * docs/decisions/129-password-patterns.md). A password is refused when one such run covers more
 * than half of its characters, so a run inside a longer passphrase ("my cat is 12345 years old") is fine.
 */

export const REPETITIVE_PASSWORD_MESSAGE = 'This password is mostly one character or a short piece repeated (like "aaaaaaaa" or "abababab"); pick one that is less guessable';
export const SEQUENTIAL_PASSWORD_MESSAGE = 'This password is mostly a sequence (like "abcdefgh" or "87654321"); pick one that is less guessable';
export const KEYBOARD_PASSWORD_MESSAGE = 'This password is mostly a row of neighbouring keys (like "qwertyui" or "asdfghjk"); pick one that is less guessable';

/** A repeated piece counts up to this many characters: one shorter than the minimum length, so "secret1secret1" is refused. */
const MAX_UNIT = 7;
/** A sequence steps by one ("abcd", "4321") or two ("2468", "acegi") code points each character. */
const MAX_STEP = 2;
/** Runs shorter than this are not patterns ("ab", "12" occur anywhere). */
const MIN_RUN = 3;

// Rows of QWERTY, QWERTZ and AZERTY (lower case), walked either way; the digit row is a sequence anyway.
const ROWS = ['`1234567890-=', 'qwertyuiop[]\\', "asdfghjkl;'", 'zxcvbnm,./', 'qwertzuiopü', 'asdfghjklöä', 'yxcvbnm', 'azertyuiop', 'qsdfghjklmù', 'wxcvbn'];
const KEY_ROWS = [...ROWS, ...ROWS.map((row) => [...row].reverse().join(''))].map((row) => [...row]);

/** Longest stretch where each character equals the one `unit` places before, with at least two whole copies of the unit. */
function longestRepeat(chars: string[]): number {
  let best = 0;
  for (let unit = 1; unit <= MAX_UNIT; unit++) {
    let matches = 0;
    for (let i = unit; i <= chars.length; i++) {
      if (i < chars.length && chars[i] === chars[i - unit]) {
        matches++;
        continue;
      }
      // `matches` characters after a first copy of the unit: a stretch of matches + unit.
      if (matches >= unit) best = Math.max(best, matches + unit);
      matches = 0;
    }
  }
  return best;
}

/** Longest stretch of code points rising or falling by the same step (1 or 2) each character. */
function longestSequence(chars: string[]): number {
  const points = chars.map((c) => c.codePointAt(0)!);
  let best = Math.min(points.length, 1);
  let length = 1;
  for (let i = 1; i < points.length; i++) {
    const step = points[i]! - points[i - 1]!;
    const continues = i >= 2 && step === points[i - 1]! - points[i - 2]!;
    length = step !== 0 && Math.abs(step) <= MAX_STEP ? (continues ? length + 1 : 2) : 1;
    best = Math.max(best, length);
  }
  return best;
}

/** Longest stretch typed by walking along one keyboard row, either way. */
function longestKeyboardWalk(chars: string[]): number {
  let best = 0;
  for (const row of KEY_ROWS) {
    for (let i = 0; i < chars.length; i++) {
      const at = row.indexOf(chars[i]!);
      if (at < 0) continue;
      let length = 1;
      while (i + length < chars.length && chars[i + length] === row[at + length]) length++;
      best = Math.max(best, length);
    }
  }
  return best;
}

/** Why the password is guessable by its pattern, or null. Case-insensitive, like the common list. */
export function passwordPatternProblem(password: string): string | null {
  const chars = [...password.normalize('NFC').toLowerCase()];
  const most = (run: number) => run >= MIN_RUN && run * 2 > chars.length;
  if (most(longestRepeat(chars))) return REPETITIVE_PASSWORD_MESSAGE;
  if (most(longestSequence(chars))) return SEQUENTIAL_PASSWORD_MESSAGE;
  if (most(longestKeyboardWalk(chars))) return KEYBOARD_PASSWORD_MESSAGE;
  return null;
}
