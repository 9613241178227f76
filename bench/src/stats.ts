export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
  count: number;
}

/** Nearest-rank percentiles of latencies in ms, rounded to 0.01 ms. */
export function percentiles(samples: Float64Array | number[]): Percentiles {
  const sorted = Float64Array.from(samples).sort();
  const n = sorted.length;
  const round = (x: number) => Math.round(x * 100) / 100;
  const at = (p: number) => (n === 0 ? 0 : round(sorted[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))]!));
  let sum = 0;
  for (const x of sorted) sum += x;
  return { p50: at(50), p95: at(95), p99: at(99), max: n === 0 ? 0 : round(sorted[n - 1]!), mean: n === 0 ? 0 : round(sum / n), count: n };
}

export const ratio = (ours: number, theirs: number) => (theirs > 0 ? Math.round((ours / theirs) * 100) / 100 : null);
