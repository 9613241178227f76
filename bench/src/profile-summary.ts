// Where a measured phase's CPU went: `pnpm --filter @chat/bench profile <file.cpuprofile> [--top N]`.
// Reads a V8 CPU profile (the bench's --cpu-prof, or node --cpu-prof) and prints busy time by
// package (ours, tRPC, ws, pg, node, GC...), then the functions with the most self and inclusive time.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface Share {
  name: string;
  ms: number;
  /** Of the busy (non-idle) time. */
  percent: number;
}
export interface ProfileSummary {
  totalMs: number;
  busyMs: number;
  byPackage: Share[];
  self: Share[];
  inclusive: Share[];
}

const IDLE = new Set(['(idle)']);

/** Who owns a frame: a package under node_modules, the server bundle, node itself, or V8. */
export function packageOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) return functionName === '(garbage collector)' ? 'GC' : functionName.startsWith('(') ? 'V8' : 'native';
  const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return 'node';
  return 'ours';
}

const frameName = (f: CallFrame) => `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, '').replace(/^file:\/\/.*\/(apps|packages)\//, '$1/')}:${f.lineNumber + 1}`;

export function summarize(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const d = profile.timeDeltas[i] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + d);
    totalUs += d;
  });
  let idleUs = 0;
  const pkgs = new Map<string, number>();
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    if (IDLE.has(node.callFrame.functionName)) {
      idleUs += us;
      continue;
    }
    // A native leaf (writev, a crypto job) is charged to the package that called it.
    let owner = packageOf(node.callFrame);
    for (let cur = parent.get(id); owner === 'native' && cur !== undefined; cur = parent.get(cur)) owner = packageOf(byId.get(cur)!.callFrame);
    pkgs.set(owner, (pkgs.get(owner) ?? 0) + us);
    const name = frameName(node.callFrame);
    self.set(name, (self.get(name) ?? 0) + us);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = frameName(byId.get(cur)!.callFrame);
      if (n.startsWith('(root)') || seen.has(n)) continue;
      seen.add(n);
      inclusive.set(n, (inclusive.get(n) ?? 0) + us);
    }
  }
  const busyUs = totalUs - idleUs;
  const shares = (m: Map<string, number>, n: number): Share[] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({ name, ms: Math.round(us / 100) / 10, percent: busyUs > 0 ? Math.round((1000 * us) / busyUs) / 10 : 0 }));
  return { totalMs: Math.round(totalUs / 1000), busyMs: Math.round(busyUs / 1000), byPackage: shares(pkgs, 20), self: shares(self, top), inclusive: shares(inclusive, top) };
}

function print(file: string, s: ProfileSummary) {
  const rows = (list: Share[]) => list.map((x) => `${x.ms.toFixed(0).padStart(8)} ms ${x.percent.toFixed(1).padStart(5)}%  ${x.name}`).join('\n');
  console.log(`${file}\n${s.busyMs} ms busy of ${s.totalMs} ms profiled\n\nby package (native calls charged to their caller):\n${rows(s.byPackage)}`);
  console.log(`\nself time:\n${rows(s.self)}\n\ninclusive time:\n${rows(s.inclusive)}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } });
  if (positionals.length === 0) {
    console.error('usage: pnpm --filter @chat/bench profile <file.cpuprofile>... [--top N]');
    process.exit(2);
  }
  // pnpm --filter runs this in bench/: a relative path means the caller's folder (INIT_CWD).
  for (const file of positionals) print(file, summarize(JSON.parse(readFileSync(resolve(process.env.INIT_CWD ?? process.cwd(), file), 'utf8')) as CpuProfile, Number(values.top)));
}
