// `pnpm bench [-- --scenario fanout,sustained --clients 1000,5000 ...]`: runs the scenarios against
// our server and both baselines, prints the table and writes bench/results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem, type } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type BenchResult, checkTargets, ratiosOf, toMarkdown, toSvg } from './report';
import { type BenchOptions, fanout, type FanoutRow, jitter, type JitterRow, storm, type StormResult, sustained, type SustainedRow } from './scenarios';
import { ensureServerBuilt, type TargetKind } from './targets';

const SCENARIOS = ['fanout', 'memory', 'sustained', 'storm', 'jitter'] as const;
type Scenario = (typeof SCENARIOS)[number];
const KINDS: TargetKind[] = ['ours', 'ws', 'socketio'];

const HELP = `Usage: pnpm bench [-- options]
  --scenario LIST     ${SCENARIOS.join(',')} (default all; fanout includes memory)
  --clients LIST      fan-out/memory subscriber counts (default 1000,5000,10000)
  --targets LIST      ours,ws,socketio (default all three)
  --broadcasts N      fan-out messages per size (default 20), --broadcast-rate N per second (default 2)
  --sustained-clients N (1000)  --senders N (50)  --rate N msg/s in total (200)  --duration S (30)
  --storm-clients N (1000)  --logins N (100)  --storm-duration S (10)  --storm-rate N chat msg/s (5)
  --jitter-clients N (1000)  --jitter-duration S (120)  --jitter-rate N msg/s (2)
  --jitter-online S   seconds a receiver stays between drops, ±1/3 (15)
  --jitter-offline S  seconds a dropped receiver stays away, ±1/4 (2)
  --workers N         load-generator processes (default 1: two cores are shared with the server)
  --real-clients N    real @trpc/client connections cross-checking the light ones (default 3)
  --database-url URL  PostgreSQL for our server (default: embedded, in bench/.data)
  --cpu-prof          write a V8 CPU profile of our server into bench/results/profiles/
  --out DIR           results folder (default bench/results)
Environment: BENCH_SERVER_NODE_ARGS adds node flags to every server under test (e.g. --heap-prof).`;

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    scenario: { type: 'string', default: 'fanout,sustained,storm,jitter' },
    clients: { type: 'string', default: '1000,5000,10000' },
    targets: { type: 'string', default: KINDS.join(',') },
    broadcasts: { type: 'string', default: '20' },
    'broadcast-rate': { type: 'string', default: '2' },
    'sustained-clients': { type: 'string', default: '1000' },
    senders: { type: 'string', default: '50' },
    rate: { type: 'string', default: '200' },
    duration: { type: 'string', default: '30' },
    'storm-clients': { type: 'string', default: '1000' },
    logins: { type: 'string', default: '100' },
    'storm-duration': { type: 'string', default: '10' },
    'storm-rate': { type: 'string', default: '5' },
    'jitter-clients': { type: 'string', default: '1000' },
    'jitter-duration': { type: 'string', default: '120' },
    'jitter-rate': { type: 'string', default: '2' },
    'jitter-online': { type: 'string', default: '15' },
    'jitter-offline': { type: 'string', default: '2' },
    workers: { type: 'string', default: '1' },
    'real-clients': { type: 'string', default: '3' },
    'database-url': { type: 'string' },
    'cpu-prof': { type: 'boolean', default: false },
    out: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}

const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
const int = (name: string, s: string) => {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got ${s}`);
  return n;
};
const scenarios = list(values.scenario) as Scenario[];
for (const s of scenarios) if (!SCENARIOS.includes(s)) throw new Error(`unknown scenario ${s}; pick from ${SCENARIOS.join(', ')}`);
const kinds = list(values.targets) as TargetKind[];
for (const k of kinds) if (!KINDS.includes(k)) throw new Error(`unknown target ${k}; pick from ${KINDS.join(', ')}`);
const outDir = resolve(values.out ?? fileURLToPath(new URL('../results', import.meta.url)));

const opts: BenchOptions = {
  sizes: list(values.clients).map((c) => int('clients', c)),
  broadcasts: int('broadcasts', values.broadcasts),
  broadcastRate: int('broadcast-rate', values['broadcast-rate']),
  sustained: { receivers: int('sustained-clients', values['sustained-clients']), senders: int('senders', values.senders), ratePerSec: int('rate', values.rate), durationS: int('duration', values.duration) },
  storm: { receivers: int('storm-clients', values['storm-clients']), logins: int('logins', values.logins), ratePerSec: int('storm-rate', values['storm-rate']), durationS: int('storm-duration', values['storm-duration']) },
  jitter: {
    receivers: int('jitter-clients', values['jitter-clients']),
    ratePerSec: int('jitter-rate', values['jitter-rate']),
    durationS: int('jitter-duration', values['jitter-duration']),
    onlineS: int('jitter-online', values['jitter-online']),
    offlineS: int('jitter-offline', values['jitter-offline']),
  },
  workers: int('workers', values.workers),
  realClients: int('real-clients', values['real-clients']),
  databaseUrl: values['database-url'],
  cpuProfDir: values['cpu-prof'] ? `${outDir}/profiles` : undefined,
};

const t0 = Date.now();
const log = (line: string) => {
  const s = Math.round((Date.now() - t0) / 1000);
  console.error(`[${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}] ${line}`);
};

const startedAt = new Date().toISOString();
if (kinds.includes('ours')) ensureServerBuilt(log, true);
const fanoutRows: FanoutRow[] = [];
const sustainedRows: SustainedRow[] = [];
let stormResult: StormResult | null = null;
const jitterRows: JitterRow[] = [];

// A scenario that fails is recorded and the run goes on: the other figures are still worth keeping.
const errors: string[] = [];
const attempt = async (label: string, fn: () => Promise<void>) => {
  try {
    await fn();
  } catch (error) {
    errors.push(`${label}: ${(error as Error).message}`);
    log(`${label} failed: ${(error as Error).message}`);
  }
};
const wantFanout = scenarios.includes('fanout');
if (wantFanout || scenarios.includes('memory')) for (const k of kinds) await attempt(`fanout ${k}`, async () => void fanoutRows.push(...(await fanout(k, opts, log, wantFanout))));
if (scenarios.includes('sustained')) for (const k of kinds) await attempt(`sustained ${k}`, async () => void sustainedRows.push(await sustained(k, opts, log)));
if (scenarios.includes('storm') && kinds.includes('ours')) await attempt('storm', async () => void (stormResult = await storm(opts, log)));
if (scenarios.includes('jitter')) for (const k of kinds) await attempt(`jitter ${k}`, async () => void jitterRows.push(await jitter(k, opts, log)));

const ratios = ratiosOf(fanoutRows);
const cpu = cpus();
const result: BenchResult = {
  startedAt,
  finishedAt: new Date().toISOString(),
  command: `pnpm bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).filter((a) => a !== '--').join(' ')}` : ''}`,
  machine: { cpus: cpu.length, cpuModel: cpu[0]?.model.trim() ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, os: `${type()} ${release()}` },
  fanout: fanoutRows,
  sustained: sustainedRows,
  storm: stormResult,
  jitter: jitterRows,
  ratios,
  targets: checkTargets(fanoutRows, ratios, sustainedRows, stormResult, jitterRows),
  errors,
};

const markdown = toMarkdown(result);
mkdirSync(outDir, { recursive: true });
const stamp = startedAt.replace(/[:.]/g, '-');
writeFileSync(`${outDir}/${stamp}.json`, JSON.stringify(result, null, 2) + '\n');
writeFileSync(`${outDir}/${stamp}.md`, markdown);
writeFileSync(`${outDir}/latest.md`, markdown);
writeFileSync(`${outDir}/latest.json`, JSON.stringify(result, null, 2) + '\n');
if (fanoutRows.some((r) => r.latency)) writeFileSync(`${outDir}/latest.svg`, toSvg(fanoutRows, `Fan-out delivery latency (${result.machine.cpus} cores, ${startedAt.slice(0, 10)})`));
console.log(markdown);
if (errors.length) log(`scenarios failed: ${errors.join('; ')}`);
log(`wrote ${outDir}/${stamp}.json, latest.md${fanoutRows.some((r) => r.latency) ? ', latest.svg' : ''}`);
process.exit(errors.length ? 1 : 0);
