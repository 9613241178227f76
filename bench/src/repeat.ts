// `--repeat N`: one scenario's rows from N runs folded into one row of medians, with the spread
// (min–max) of every figure beside it. Verdicts are judged on the medians; failures on the worst run.

/** Figures where one bad run must show: the worst run is reported, not the median. */
const WORST = new Set(['lost', 'sendFailed', 'duplicates', 'closed', 'connectFailed', 'mismatches', 'reconnectFailures']);

export type Spread = Record<string, [number, number]>;
export type Repeated<T> = T & { runs: number; spread: Spread };

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const m = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return Math.round(m * 100) / 100;
}

function fold(values: unknown[], path: string, spread: Spread): unknown {
  const first = values[0];
  if (typeof first === 'number') {
    const nums = values.filter((v): v is number => typeof v === 'number');
    const min = Math.min(...nums);
    const max = Math.max(...nums);
    if (min !== max) spread[path] = [min, max];
    return WORST.has(path.slice(path.lastIndexOf('.') + 1)) ? max : median(nums);
  }
  if (first && typeof first === 'object' && !Array.isArray(first)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(first)) out[key] = fold(values.map((v) => (v as Record<string, unknown> | null)?.[key]), path ? `${path}.${key}` : key, spread);
    return out;
  }
  // Strings, arrays (error lists), null: the first run's.
  return first;
}

/** The median of every numeric figure over `runs` (rows of one scenario, one target, one size). */
export function foldRuns<T extends object>(runs: T[]): Repeated<T> {
  if (runs.length === 0) throw new Error('no runs to fold');
  const spread: Spread = {};
  return { ...(fold(runs, '', spread) as T), runs: runs.length, spread };
}

/** Folds rows that share a key (target, size) across runs, in the order they first appear. */
export function foldBy<T extends object>(rows: T[], key: (row: T) => string): Repeated<T>[] {
  const groups = new Map<string, T[]>();
  for (const row of rows) groups.set(key(row), [...(groups.get(key(row)) ?? []), row]);
  return [...groups.values()].map(foldRuns);
}

/** A figure for a table: the median, and its spread over the runs when they differ. */
export function withSpread(row: { spread?: Spread }, path: string, value: number | string, format: (n: number) => string = String): string {
  const s = row.spread?.[path];
  return s ? `${value} (${format(s[0])}–${format(s[1])})` : String(value);
}
