import type { BenchResult } from '../report';
import { median } from '../repeat';

/** One figure of one row, before and after, as medians over every run of both builds. */
export interface AbFigure {
  name: string;
  before: number | null;
  after: number | null;
  /** after / before: below 1 is better for every figure here (time, CPU, memory). */
  ratio: number | null;
}

export interface AbRow {
  scenario: 'fanout' | 'rooms';
  target: string;
  size: number;
  /** Runs of each build that went into the medians. */
  runs: { before: number; after: number };
  figures: AbFigure[];
}

type Pick = (row: Record<string, unknown>) => number | undefined;
const at = (path: string): Pick => (row) => {
  let v: unknown = row;
  for (const key of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return typeof v === 'number' ? v : undefined;
};

const FIGURES: Record<AbRow['scenario'], [string, Pick][]> = {
  fanout: [
    ['p50 ms', at('latency.p50')],
    ['p99 ms', at('latency.p99')],
    ['CPU µs per delivery', at('cpuUsPerDelivery')],
    ['heap KiB per connection', (r) => (at('memory.heapPerConnBytes')(r) ?? NaN) / 1024],
  ],
  rooms: [
    ['p50 ms', at('latency.p50')],
    ['p99 ms', at('latency.p99')],
    ['CPU ms per 1,000 deliveries', at('cpuMsPer1000')],
  ],
};

const sizeOf = (scenario: AbRow['scenario'], row: Record<string, unknown>) => (scenario === 'fanout' ? at('subscribers')(row) : at('users')(row)) ?? 0;

function rowsOf(results: BenchResult[], scenario: AbRow['scenario']) {
  const groups = new Map<string, { target: string; size: number; rows: Record<string, unknown>[] }>();
  for (const result of results) {
    for (const row of result.runs[scenario] as unknown as Record<string, unknown>[]) {
      const target = String(row.target);
      const size = sizeOf(scenario, row);
      const key = `${target}\u0000${size}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { target, size, rows: [] }));
      group.rows.push(row);
    }
  }
  return groups;
}

const medianOf = (rows: Record<string, unknown>[], pick: Pick) => {
  const values = rows.map(pick).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return values.length ? median(values) : null;
};

/**
 * Every row both builds measured (same scenario, target and size), each figure as the median over
 * all their runs (every round, every repeat), and after/before.
 */
export function compareBuilds(before: BenchResult[], after: BenchResult[]): AbRow[] {
  const out: AbRow[] = [];
  for (const scenario of ['fanout', 'rooms'] as const) {
    const b = rowsOf(before, scenario);
    const a = rowsOf(after, scenario);
    for (const [key, mine] of a) {
      const theirs = b.get(key);
      if (!theirs) continue;
      const figures = FIGURES[scenario].map(([name, pick]): AbFigure => {
        const x = medianOf(theirs.rows, pick);
        const y = medianOf(mine.rows, pick);
        return { name, before: x, after: y, ratio: x && y !== null ? Math.round((y / x) * 100) / 100 : null };
      });
      out.push({ scenario, target: mine.target, size: mine.size, runs: { before: theirs.rows.length, after: mine.rows.length }, figures });
    }
  }
  return out.sort((x, y) => x.scenario.localeCompare(y.scenario) || x.target.localeCompare(y.target) || x.size - y.size);
}

const num = (v: number | null) => (v === null ? '—' : String(Math.round(v * 100) / 100));

export function abMarkdown(rows: AbRow[], meta: { before: string; after: string; command: string; startedAt: string; finishedAt: string; machine: string }): string {
  const lines = [
    `# A/B: ${meta.after} against ${meta.before}`,
    '',
    `${meta.startedAt} – ${meta.finishedAt} · ${meta.machine} · \`${meta.command}\``,
    '',
    'Both builds on one machine in one sitting, in alternating rounds. Each figure is the median over every run of that build; the ratio is after / before (below 1 is better).',
    '',
  ];
  for (const scenario of ['fanout', 'rooms'] as const) {
    const mine = rows.filter((r) => r.scenario === scenario);
    if (!mine.length) continue;
    const names = mine[0]!.figures.map((f) => f.name);
    lines.push(`## ${scenario === 'fanout' ? 'Fan-out' : 'Rooms'}`, '');
    lines.push(`| target | size | runs (before/after) | ${names.map((n) => `${n}: before / after (ratio)`).join(' | ')} |`);
    lines.push(`| --- | ---: | ---: | ${names.map(() => '---:').join(' | ')} |`);
    for (const r of mine) {
      lines.push(`| ${r.target} | ${r.size} | ${r.runs.before}/${r.runs.after} | ${r.figures.map((f) => `${num(f.before)} / ${num(f.after)} (${num(f.ratio)}×)`).join(' | ')} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
