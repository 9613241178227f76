export const DICE_LIMITS = { minCount: 1, maxCount: 100, minSides: 2, maxSides: 1000 } as const;

export interface DiceSpec {
  count: number;
  sides: number;
}

export type DiceParse = { ok: true; spec: DiceSpec } | { ok: false; reason: string };

const USAGE = `Use NdM, e.g. 2d6: N dice (${DICE_LIMITS.minCount}–${DICE_LIMITS.maxCount}) with M sides (${DICE_LIMITS.minSides}–${DICE_LIMITS.maxSides})`;

/** "2d6" → 2 dice with 6 sides; "d20" means one die. Bounds keep the reply short and cheap. */
export function parseDice(text: string): DiceParse {
  const match = /^(\d{0,4})d(\d{1,5})$/i.exec(text.trim());
  if (!match) return { ok: false, reason: USAGE };
  const count = match[1] ? Number(match[1]) : 1;
  const sides = Number(match[2]);
  if (count < DICE_LIMITS.minCount || count > DICE_LIMITS.maxCount) {
    return { ok: false, reason: `Roll ${DICE_LIMITS.minCount}–${DICE_LIMITS.maxCount} dice at a time. ${USAGE}` };
  }
  if (sides < DICE_LIMITS.minSides || sides > DICE_LIMITS.maxSides) {
    return { ok: false, reason: `Dice have ${DICE_LIMITS.minSides}–${DICE_LIMITS.maxSides} sides. ${USAGE}` };
  }
  return { ok: true, spec: { count, sides } };
}

/** `random` returns [0, 1) like Math.random; tests pass a fixed sequence. */
export function rollDice({ count, sides }: DiceSpec, random: () => number = Math.random): number[] {
  return Array.from({ length: count }, () => 1 + Math.floor(random() * sides));
}
