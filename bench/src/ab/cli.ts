// pnpm --filter @chat/bench ab -- --before <commit> [--rounds 2] [--out DIR] [pnpm bench options…]
//
// Runs `pnpm bench` with the given options against an earlier build of our server and against this
// checkout's, on this machine in one sitting, in alternating rounds (before, after, after, before…),
// then compares every row both measured (medians over all runs). The earlier build comes from a git
// worktree of <commit> in the system's temp folder (outside the repo, so lint and tests never see its
// files), installed and bundled there once. Example, issue 22's check
// against the 2026-11-29 run's build:
//   pnpm --filter @chat/bench ab -- --before c194058 --scenario fanout --targets ours,ours-web --repeat 3
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from '../report';
import { abMarkdown, compareBuilds } from './compare';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const args = process.argv.slice(2).filter((a) => a !== '--');
const take = (name: string, fallback?: string) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const [, value] = args.splice(i, 2);
  return value;
};
const log = (line: string) => console.error(`${new Date().toISOString().slice(11, 19)} ${line}`);

const before = take('before');
if (!before || !/^[0-9a-f]{7,40}$/i.test(before)) {
  console.error('Usage: pnpm --filter @chat/bench ab -- --before <commit> [--rounds 2] [--out DIR] [pnpm bench options…]');
  process.exit(2);
}
const rounds = Number(take('rounds', '2'));
const outDir = take('out', join(repoRoot, 'bench/results/ab'))!;
const commit = execFileSync('git', ['rev-parse', '--short', before], { cwd: repoRoot, encoding: 'utf8' }).trim();
const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();

// The earlier build: its own worktree and node_modules, so it runs with the dependencies it shipped with.
const tree = join(tmpdir(), 'chat-bench-ab', commit);
if (!existsSync(tree)) {
  log(`checking out ${commit} into ${tree}...`);
  execFileSync('git', ['worktree', 'add', '--detach', tree, commit], { cwd: repoRoot, stdio: 'inherit' });
}
const beforeDist = join(tree, 'apps/server/dist/main.js');
if (!existsSync(beforeDist)) {
  log(`installing and bundling ${commit}'s server (once)...`);
  execFileSync('pnpm', ['install', '--frozen-lockfile', '--prefer-offline'], { cwd: tree, stdio: 'inherit' });
  execFileSync('pnpm', ['--filter', '@chat/server', 'build'], { cwd: tree, stdio: 'inherit' });
}
log('bundling this checkout\'s server...');
execFileSync('pnpm', ['--filter', '@chat/server', 'build'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
const afterDist = join(repoRoot, 'apps/server/dist/main.js');

const startedAt = new Date().toISOString();
const stamp = startedAt.replace(/[:.]/g, '-');
const results: Record<'before' | 'after', BenchResult[]> = { before: [], after: [] };
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? (['before', 'after'] as const) : (['after', 'before'] as const);
  for (const build of order) {
    const out = join(outDir, 'runs', `${stamp}-${build}-${round + 1}`);
    log(`round ${round + 1} of ${rounds}: ${build === 'before' ? commit : `${head} (this checkout)`}...`);
    const run = spawnSync('pnpm', ['--filter', '@chat/bench', 'bench', '--', ...args, '--out', out], {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, BENCH_SERVER_DIST: build === 'before' ? beforeDist : afterDist },
    });
    if (run.status !== 0) throw new Error(`pnpm bench failed for ${build} (exit ${run.status}); its log is above`);
    results[build].push(JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8')) as BenchResult);
  }
}

const rows = compareBuilds(results.before, results.after);
const cpu = cpus();
const md = abMarkdown(rows, {
  before: commit,
  after: head,
  command: `pnpm --filter @chat/bench ab -- --before ${before} --rounds ${rounds} ${args.join(' ')}`.trim(),
  startedAt,
  finishedAt: new Date().toISOString(),
  machine: `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}`,
});
mkdirSync(outDir, { recursive: true });
for (const name of [stamp, 'latest']) {
  writeFileSync(join(outDir, `${name}.json`), JSON.stringify({ before: commit, after: head, rows }, null, 2) + '\n');
  writeFileSync(join(outDir, `${name}.md`), md);
}
console.log(md);
