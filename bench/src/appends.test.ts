// CI-sized run of the appends tool (issue 26 §3): real server processes with group commit off and on,
// every kind of locked write. Correctness only: each turn acknowledged writes and reported its cost.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';

const run = promisify(execFile);
const benchDir = fileURLToPath(new URL('..', import.meta.url));

describe('appends through the server (smoke)', () => {
  it('acknowledges sends, reactions and edits with group commit off and on, and reports each turn', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'src/appends.ts', '--kind', 'mixed', '--clients', '3', '--seconds', '1', '--rounds', '1', '--instances', '1'],
      { cwd: benchDir, env: { ...process.env, BENCH_DATABASE_URL: inject('adminDatabaseUrl') }, timeout: 120_000 },
    );
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as { kind: string; results: { groupCommit: boolean; appendsPerSecond: number; cpuMsPer1000: number }[] };
    expect(report.kind).toBe('mixed');
    expect(report.results.map((r) => r.groupCommit)).toEqual([false, true]);
    for (const r of report.results) {
      expect(r.appendsPerSecond).toBeGreaterThan(0);
      expect(r.cpuMsPer1000).toBeGreaterThan(0);
    }
  }, 180_000);
});
