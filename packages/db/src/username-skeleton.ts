// The key under which two usernames count as the same name (a unique index holds it). Lives here,
// beside the column, because the migration that fills it for existing users needs it too.
import tr39Prototypes from 'unhomoglyph';

/**
 * Look-alikes TR39 leaves apart once case is folded (TR39 itself maps 0→O, 1→l, I→l and m→rn):
 * i and l (so "aIice", "ALICE" and "alice" meet), o and 0, w as vv, d as cl, and the separators
 * "_", "." and "-", dropped so "alice_" and "a.lice" are "alice". Targets are letters TR39 leaves
 * alone, so a second pass changes nothing.
 */
const ASCII_LOOK_ALIKES: Readonly<Record<string, string>> = { i: 'l', o: 'o', '0': 'o', w: 'vv', d: 'cl', _: '', '.': '', '-': '' };
const LOOK_ALIKE = /[io0wd_.-]/g;

const pass = (name: string) =>
  tr39Prototypes(name.normalize('NFD').toLowerCase())
    .normalize('NFD')
    .toLowerCase()
    .replace(LOOK_ALIKE, (c) => ASCII_LOOK_ALIKES[c] ?? c);

// Every code point settles within three passes (a test walks them all); the bound is a safeguard.
const MAX_PASSES = 8;

/**
 * The confusable skeleton of a username: Unicode TR39's skeleton (NFD, each character replaced by
 * its prototype from confusables.txt, NFD) with case folded and our ASCII look-alikes merged,
 * repeated until it stops changing so that skeleton(skeleton(x)) = skeleton(x).
 */
export function usernameSkeleton(name: string): string {
  let current = name;
  for (let i = 0; i < MAX_PASSES; i++) {
    const next = pass(current);
    if (next === current) return current;
    current = next;
  }
  return current;
}
