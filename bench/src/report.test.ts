import { describe, expect, it } from 'vitest';
import { checkTargets, ratiosOf } from './report';
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
