import { describe, expect, it } from 'vitest';
import { type BenchResult, capacityOf, checkTargets, costCurves, ratiosOf, toMarkdown } from './report';
import type { FanoutRow } from './scenarios';
import type { TargetKind } from './targets';

/** A fan-out row with just what the verdicts read. */
const fanout = (target: TargetKind, subscribers: number, p50: number, p99: number, heapPerConnKiB: number): FanoutRow => ({
  target,
  subscribers,
  connected: subscribers,
  connectFailed: 0,
  connectSeconds: 1,
  latency: { p50, p95: p99, p99, max: p99, mean: p50, count: subscribers },
  lost: 0,
  memory: { rssBytes: 0, heapBytes: 0, rssPerConnBytes: heapPerConnKiB * 2048, heapPerConnBytes: heapPerConnKiB * 1024 },
});

const measured = (rows: FanoutRow[]) => {
  const ratios = ratiosOf(rows);
  return checkTargets({ fanout: rows, ratios, sustained: [], storm: null, jitter: [], rooms: [] });
};

describe('fan-out verdicts judge the path users run first (issue 26 §4)', () => {
  it('misses on the web path while the bots path meets, and says which is which', () => {
    const rows = [
      fanout('ws', 5000, 40, 80, 2.5),
      fanout('socketio', 5000, 50, 100, 10),
      fanout('ours', 5000, 45, 90, 4),
      fanout('ours-web', 5000, 90, 200, 4.5),
    ];
    const checks = measured(rows);
    const within = checks.filter((c) => c.target.startsWith('Fan-out p50 and p99 within 1.5× raw ws at 5k'));
    expect(within.map((c) => [c.target, c.met])).toEqual([
      ['Fan-out p50 and p99 within 1.5× raw ws at 5k (web app, chat.onEvent)', false],
      ['Fan-out p50 and p99 within 1.5× raw ws at 5k (bots, chat.onMessage)', true],
    ]);
    const vsSio = checks.filter((c) => c.target.startsWith('Fan-out p50 and p99 ≤ Socket.IO'));
    expect(vsSio.map((c) => c.met)).toEqual([false, true]);
  });

  it('keeps the bots path as the top-level ratios, as older result files hold them', () => {
    const [q] = ratiosOf([fanout('ws', 1000, 10, 20, 2.5), fanout('ours', 1000, 20, 20, 5), fanout('ours-web', 1000, 30, 40, 5)]);
    expect(q!.p50VsWs).toBe(2);
    expect(q!.web?.p50VsWs).toBe(3);
  });

  it('says "not measured" for the web path when ours-web did not run', () => {
    const checks = measured([fanout('ws', 5000, 40, 80, 2.5), fanout('ours', 5000, 45, 90, 4)]);
    const web = checks.find((c) => c.target === 'Fan-out p50 and p99 within 1.5× raw ws at 5k (web app, chat.onEvent)');
    expect(web).toMatchObject({ measured: 'not measured', met: null });
  });
});

describe('cost as work grows and capacity (issue 26 §5)', () => {
  const withCpu = (row: FanoutRow, cpuUsPerDelivery: number): FanoutRow => ({ ...row, cpuUsPerDelivery });

  it('gives each server its curve and how much CPU per delivery and heap per connection grew from the smallest size', () => {
    const [curve, ...others] = costCurves([withCpu(fanout('ours-web', 1000, 10, 20, 8), 20), withCpu(fanout('ours-web', 10_000, 30, 90, 9), 25), withCpu(fanout('ours-web', 20_000, 60, 200, 10), 30)]);
    expect(others).toEqual([]);
    expect(curve!.points.map((p) => p.subscribers)).toEqual([1000, 10_000, 20_000]);
    expect(curve!.cpuGrowth).toBe(1.5);
    expect(curve!.heapGrowth).toBe(1.25);
  });

  it('finds the largest size under the bound and stops counting at the first one past it', () => {
    const steps = [fanout('ours', 5000, 50, 200, 8), fanout('ours', 10_000, 100, 450, 8), fanout('ours', 15_000, 200, 700, 8), fanout('ours', 20_000, 100, 300, 8)];
    expect(capacityOf('ours', steps, 500).largestOk).toBe(10_000);
    // A size where a subscriber did not connect is past capacity whatever its latency.
    expect(capacityOf('ours', [{ ...fanout('ours', 5000, 50, 200, 8), connected: 4999 }], 500).largestOk).toBeNull();
  });

  it('prints the curve and the capacity in the Markdown', () => {
    const steps = [withCpu(fanout('ours-web', 5000, 50, 200, 8), 20), withCpu(fanout('ours-web', 10_000, 100, 600, 8.8), 30)];
    const result = {
      startedAt: 'now', finishedAt: 'now', command: 'pnpm bench', repeat: 1,
      machine: { cpus: 2, cpuModel: 'test', memoryGiB: 1, node: 'v20', os: 'test' },
      fanout: [], sustained: [], storm: null, jitter: [], rooms: [], ratios: [], targets: [], errors: [],
      runs: { fanout: [], sustained: [], storm: [], jitter: [], rooms: [] },
      capacity: [capacityOf('ours-web', steps, 500)],
    } satisfies BenchResult;
    const md = toMarkdown(result);
    expect(md).toContain('| ours, as the web app (chat.onEvent) | 10000 | 30 (1.5×) | 8.8 (1.1×) | 600 |');
    expect(md).toContain('| ours, as the web app (chat.onEvent) | 5000 | 10000: 10000 connected, p99 600 ms, lost 0 |');
  });
});
