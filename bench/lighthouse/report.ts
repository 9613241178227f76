// What is kept of a Lighthouse result, and the table printed at the end of a run.
import type { Result } from 'lighthouse';

export interface RunResult {
  lighthouseVersion: string;
  /** 0–100 per category. */
  scores: Record<string, number>;
  /** Milliseconds, except CLS (unitless). */
  metrics: { fcp: number; lcp: number; tbt: number; cls: number; speedIndex: number };
  /** Lighthouse's CPU benchmark for this run: lower means a busier machine (and slower simulated times). */
  benchmarkIndex: number;
  loadAverage1m: number;
  /** Audits below full marks in the categories other than performance, by id. */
  failing: string[];
  /** Why Lighthouse could not measure (then the scores are 0), and what it warned of. */
  runtimeError?: string;
  warnings: string[];
}

export interface PageResult {
  page: string;
  path: string;
  median: RunResult;
  runs: RunResult[];
}

const round = (n: number | undefined, digits = 0) => Number((n ?? 0).toFixed(digits));

export function summarize(lhr: Result, loadAverage1m: number): RunResult {
  const metric = (id: string, digits = 0) => round(lhr.audits[id]?.numericValue, digits);
  const failing = Object.entries(lhr.categories)
    .filter(([id]) => id !== 'performance')
    .flatMap(([, category]) => category.auditRefs.filter((ref) => ref.weight > 0 && (lhr.audits[ref.id]?.score ?? 1) < 1).map((ref) => ref.id));
  return {
    lighthouseVersion: lhr.lighthouseVersion,
    scores: Object.fromEntries(Object.entries(lhr.categories).map(([id, c]) => [id, Math.round((c.score ?? 0) * 100)])),
    metrics: {
      fcp: metric('first-contentful-paint'),
      lcp: metric('largest-contentful-paint'),
      tbt: metric('total-blocking-time'),
      cls: metric('cumulative-layout-shift', 3),
      speedIndex: metric('speed-index'),
    },
    benchmarkIndex: round(lhr.environment.benchmarkIndex),
    loadAverage1m: round(loadAverage1m, 2),
    failing,
    ...(lhr.runtimeError ? { runtimeError: `${lhr.runtimeError.code}: ${lhr.runtimeError.message}` } : {}),
    warnings: lhr.runWarnings.map(String),
  };
}

/**
 * The run with the median performance score (Lighthouse's own advice for noisy machines), among the runs Lighthouse
 * could measure: one whose trace failed (a runtime error, every score 0) says nothing about the page.
 */
export function medianRun(runs: RunResult[]): RunResult {
  const measured = runs.filter((run) => !run.runtimeError);
  const sorted = [...(measured.length > 0 ? measured : runs)].sort((a, b) => (a.scores.performance ?? 0) - (b.scores.performance ?? 0));
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  if (!median) throw new Error('no runs');
  return median;
}

export function toTable(results: PageResult[]): string {
  const rows = results.map(({ page, median: m, runs }) => [
    page,
    `${m.scores.performance} (${runs.map((r) => r.scores.performance).join('/')})`,
    String(m.scores.accessibility),
    String(m.scores['best-practices']),
    String(m.scores.seo),
    `${(m.metrics.fcp / 1000).toFixed(1)} s`,
    `${(m.metrics.lcp / 1000).toFixed(1)} s`,
    `${m.metrics.tbt} ms`,
    String(m.metrics.cls),
    m.failing.join(', ') || '-',
  ]);
  const head = ['page', 'performance (runs)', 'a11y', 'best pr.', 'SEO', 'FCP', 'LCP', 'TBT', 'CLS', 'not at 100'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
