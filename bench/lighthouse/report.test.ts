import { describe, expect, it } from 'vitest';
import { medianRun, type RunResult } from './report';

const run = (performance: number, runtimeError?: string): RunResult => ({
  lighthouseVersion: '12.2.3',
  scores: { performance },
  metrics: { fcp: 0, lcp: 0, tbt: 0, cls: 0, speedIndex: 0 },
  benchmarkIndex: 1000,
  loadAverage1m: 0,
  failing: [],
  warnings: [],
  ...(runtimeError ? { runtimeError } : {}),
});

describe('the median Lighthouse run', () => {
  it('is the middle score, the lower middle of an even count', () => {
    expect(medianRun([run(90), run(80), run(85)]).scores.performance).toBe(85);
    expect(medianRun([run(90), run(80), run(85), run(95)]).scores.performance).toBe(85);
  });

  it('leaves out runs Lighthouse could not measure, unless none could be', () => {
    expect(medianRun([run(0, 'NO_NAVSTART: trace failed'), run(88), run(91)]).scores.performance).toBe(88);
    expect(medianRun([run(0, 'NO_FCP'), run(0, 'NO_FCP')]).runtimeError).toBe('NO_FCP');
  });
});
