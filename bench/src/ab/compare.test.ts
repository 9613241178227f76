import { expect, it } from 'vitest';
import type { BenchResult } from '../report';
import { abMarkdown, compareBuilds } from './compare';

const fanout = (target: string, subscribers: number, p50: number, cpu: number) => ({
  target,
  subscribers,
  latency: { p50, p99: p50 * 2 },
  cpuUsPerDelivery: cpu,
  memory: { heapPerConnBytes: 8192 },
});
const result = (rows: ReturnType<typeof fanout>[]) => ({ runs: { fanout: rows, rooms: [] } }) as unknown as BenchResult;

it('compares every row both builds measured, each figure as the median over all their runs', () => {
  const before = [result([fanout('ours', 1000, 10, 20), fanout('ours', 5000, 40, 14)]), result([fanout('ours', 1000, 12, 22), fanout('ours', 5000, 44, 15)])];
  const after = [result([fanout('ours', 1000, 11, 22), fanout('ours-web', 1000, 13, 25)]), result([fanout('ours', 1000, 13, 24)])];
  const rows = compareBuilds(before, after);
  // ours-web and 5000 were measured by one build only.
  expect(rows.map((r) => `${r.target} ${r.size}`)).toEqual(['ours 1000']);
  const [row] = rows;
  expect(row!.runs).toEqual({ before: 2, after: 2 });
  expect(row!.figures.find((f) => f.name === 'p50 ms')).toEqual({ name: 'p50 ms', before: 11, after: 12, ratio: 1.09 });
  expect(row!.figures.find((f) => f.name === 'CPU µs per delivery')).toEqual({ name: 'CPU µs per delivery', before: 21, after: 23, ratio: 1.1 });
  expect(row!.figures.find((f) => f.name === 'heap KiB per connection')?.ratio).toBe(1);
  const md = abMarkdown(rows, { before: 'aaa', after: 'bbb', command: 'x', startedAt: 's', finishedAt: 'f', machine: 'm' });
  expect(md).toContain('| ours | 1000 | 2/2 | 11 / 12 (1.09×)');
});
