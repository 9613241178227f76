// `pnpm bench [-- --scenario fanout,sustained --clients 1000,5000 ...]`: runs the scenarios against
// our server and both baselines (`--repeat` times), prints the tables and writes bench/results/.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem, type } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCli } from './cli-args';
import { foldBy, foldRuns } from './repeat';
import { type BenchResult, type CapacityRow, capacityOf, checkTargets, pastCapacity, ratiosOf, toMarkdown, toSvg } from './report';
import { toRoomsSvg } from './rooms-chart';
import { type RoomsOptions, type RoomsRow, roomsScenario } from './rooms';
import { type BenchOptions, fanout, type FanoutRow, jitter, type JitterRow, storm, type StormResult, sustained, type SustainedRow } from './scenarios';
import { ensureServerBuilt, serverOf, type TargetKind } from './targets';
import { uploadRatios, type UploadRow, uploadsScenario } from './uploads';
import { yearsChecks } from './years/report';
import { type YearsResult, yearsScenario } from './years/scenario';

const SCENARIOS = ['fanout', 'memory', 'sustained', 'storm', 'jitter', 'rooms', 'uploads', 'capacity', 'years'] as const;
type Scenario = (typeof SCENARIOS)[number];
const KINDS: TargetKind[] = ['ours', 'ours-web', 'ws', 'socketio'];

const HELP = `Usage: pnpm bench [-- options]
  --scenario LIST     ${SCENARIOS.join(',')} (default all; fanout includes memory)
  --targets LIST      ${KINDS.join(',')} (default all; ours-web: our server with clients as the web
                      app opens them, one chat.onEvent each; fanout/memory only, rooms always uses it)
  --repeat N          runs of each scenario per target (default 3); tables show the median and the
                      spread (min–max), verdicts judge the median; the result files keep every run
  --clients LIST      fan-out/memory subscriber counts (default 1000,5000,10000)
  --broadcasts N      fan-out messages per size (default 20), --broadcast-rate N per second (default 2)
  --sustained-clients N (1000)  --senders N (50)  --rate N msg/s in total (200)  --duration S (30)
  --storm-clients N (1000)  --logins N (100)  --storm-duration S (10)  --storm-rate N chat msg/s (5)
  --jitter-clients N (1000)  --jitter-duration S (120)  --jitter-rate N msg/s (2)
  --jitter-online S   seconds a receiver stays between drops, ±1/3 (15)
  --jitter-offline S  seconds a dropped receiver stays away, ±1/4 (2)
  --rooms-users N (10000)  --rooms-count N (1000)  --rooms-dm-share F (0.3)
  --rooms-members MIN-MAX  channel sizes, log-uniform (10-200)
  --rooms-rate N      msg/s spread over the rooms (500)  --rooms-everyone-rate N msg/s in #everyone (1)
  --rooms-duration S  (60); e.g. a smoke run: --scenario rooms --rooms-users 200 --rooms-count 20 --rooms-rate 50 --rooms-duration 10
  --uploads N         concurrent uploads (20), --upload-mb S each (10): through our tus endpoint and a plain
                      streaming upload to disk; e.g. a smoke run: --scenario uploads --uploads 4 --upload-mb 2
  --capacity-step N   capacity (not in the default set): fan-out at N, 2N, … subscribers (5000) up to
  --capacity-max N    (40000, or what the open-files limit allows), stopping after the first size whose broadcast p99 reaches --capacity-bound MS
                      (500) or that loses a message or a connection; e.g. --scenario capacity --targets ours-web
  --years-samples N   years (not in the default set; needs --database-url of a database filled by
                      \`pnpm --filter @chat/bench seed:years\`): timed calls of each kind (200)
  --years-resume LIST chat.onEvent resumes from this many events back (1000,100000,5000000)
  --workers N         load-generator processes (default 1: two cores are shared with the server)
  --real-clients N    real @trpc/client connections cross-checking the light ones (default 3)
  --database-url URL  PostgreSQL for our server (default: embedded, in bench/.data)
  --cpu-prof          write a V8 CPU profile of each measured phase (not set-up) into bench/results/profiles/
  --out DIR           results folder (default bench/results)
  --help              this text
Environment: BENCH_SERVER_NODE_ARGS adds node flags to every server under test (e.g. --heap-prof).
  BENCH_SERVER_DIST=FILE runs that bundle of our server instead of building apps/server/dist/main.js (an A/B
  against a copy of main's build; put it under apps/server/node_modules/ so its imports resolve).`;

const values = parseCli(
  process.argv.slice(2),
  {
    scenario: { type: 'string', default: 'fanout,sustained,storm,jitter,rooms,uploads' },
    clients: { type: 'string', default: '1000,5000,10000' },
    targets: { type: 'string', default: KINDS.join(',') },
    repeat: { type: 'string', default: '3' },
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
    'rooms-users': { type: 'string', default: '10000' },
    'rooms-count': { type: 'string', default: '1000' },
    'rooms-dm-share': { type: 'string', default: '0.3' },
    'rooms-members': { type: 'string', default: '10-200' },
    'rooms-rate': { type: 'string', default: '500' },
    'rooms-everyone-rate': { type: 'string', default: '1' },
    'rooms-duration': { type: 'string', default: '60' },
    uploads: { type: 'string', default: '20' },
    'upload-mb': { type: 'string', default: '10' },
    'capacity-step': { type: 'string', default: '5000' },
    'capacity-max': { type: 'string' },
    'capacity-bound': { type: 'string', default: '500' },
    'years-samples': { type: 'string', default: '200' },
    'years-resume': { type: 'string', default: '1000,100000,5000000' },
    workers: { type: 'string', default: '1' },
    'real-clients': { type: 'string', default: '3' },
    'database-url': { type: 'string' },
    'cpu-prof': { type: 'boolean', default: false },
    out: { type: 'string' },
  },
  HELP,
);

const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
const fail = (message: string): never => {
  console.error(`${message}\n\n${HELP}`);
  process.exit(2);
};
const int = (name: string, s: string) => {
  const n = Number(s);
  return Number.isInteger(n) && n >= 0 ? n : fail(`--${name} must be a whole number, got ${s}`);
};
const scenarios = list(values.scenario) as Scenario[];
for (const s of scenarios) if (!SCENARIOS.includes(s)) fail(`unknown scenario ${s}; pick from ${SCENARIOS.join(', ')}`);
const kinds = list(values.targets) as TargetKind[];
for (const k of kinds) if (!KINDS.includes(k)) fail(`unknown target ${k}; pick from ${KINDS.join(', ')}`);
// `pnpm bench -- --out bench/results/x` runs in bench/; a relative --out means where the command was typed (pnpm's INIT_CWD).
const outDir = values.out ? resolve(process.env.INIT_CWD ?? process.cwd(), values.out) : fileURLToPath(new URL('../results', import.meta.url));
const repeat = Math.max(1, int('repeat', values.repeat));
const [minMembers, maxMembers] = values['rooms-members'].split('-').map((x) => int('rooms-members', x));
const dmShare = Number(values['rooms-dm-share']);
if (!(dmShare >= 0 && dmShare <= 1)) fail(`--rooms-dm-share must be between 0 and 1, got ${values['rooms-dm-share']}`);
if (!minMembers || !maxMembers || minMembers < 2 || maxMembers < minMembers) fail(`--rooms-members must be MIN-MAX with 2 ≤ MIN ≤ MAX, got ${values['rooms-members']}`);

/** This process's open-files limit (Linux), which the server and each load generator inherit; null where unknown. */
function openFilesLimit(): number | null {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const soft = Number(line?.split(/\s{2,}/)[1]);
    return Number.isFinite(soft) ? soft : null;
  } catch {
    return null;
  }
}
const openFiles = openFilesLimit();
/** Subscribers one server process can hold here: the limit less a margin for its database, Redis and log files. */
const maxSubscribers = openFiles === null ? Infinity : openFiles - 200;
// One server holds every subscriber's socket: past the limit connections fail with EMFILE half way through a long run.
{
  const largest = Math.max(
    0,
    ...(scenarios.some((s) => s === 'fanout' || s === 'memory') ? list(values.clients).map(Number) : []),
    ...(scenarios.includes('capacity') && values['capacity-max'] !== undefined ? [Number(values['capacity-max'])] : []),
  );
  if (largest > maxSubscribers)
    fail(`${largest.toLocaleString('en-US')} subscribers need more open files than this shell allows one process (ulimit -n: ${openFiles}); raise it (ulimit -n ${largest + 1000}, as root or within the hard limit \`ulimit -Hn\`) or run at most ${maxSubscribers.toLocaleString('en-US')}`);
}

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
const roomsOptions: RoomsOptions = {
  users: int('rooms-users', values['rooms-users']),
  rooms: int('rooms-count', values['rooms-count']),
  dmShare,
  minMembers: minMembers!,
  maxMembers: maxMembers!,
  ratePerSec: int('rooms-rate', values['rooms-rate']),
  everyoneRatePerSec: int('rooms-everyone-rate', values['rooms-everyone-rate']),
  durationS: int('rooms-duration', values['rooms-duration']),
};

const t0 = Date.now();
const log = (line: string) => {
  const s = Math.round((Date.now() - t0) / 1000);
  console.error(`[${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}] ${line}`);
};

const startedAt = new Date().toISOString();
if (kinds.some((k) => serverOf(k) === 'ours')) ensureServerBuilt(log, true);
// Every run's rows; the tables and verdicts fold them into medians.
const fanoutRuns: FanoutRow[] = [];
const sustainedRuns: SustainedRow[] = [];
const stormRuns: StormResult[] = [];
const jitterRuns: JitterRow[] = [];
const roomsRuns: RoomsRow[] = [];
const uploadRuns: UploadRow[] = [];
const uploadOptions = { uploads: int('uploads', values.uploads), sizeMB: int('upload-mb', values['upload-mb']), databaseUrl: opts.databaseUrl, cpuProfDir: opts.cpuProfDir };

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
// ours-web is the web app's connection: measured where the connection is the point (fan-out, memory, rooms).
const classic = kinds.filter((k) => k !== 'ours-web');
// Runs alternate between the targets (ours, ws, Socket.IO, ours, …) so a drifting machine spreads over all of them.
for (let run = 1; run <= repeat; run++) {
  const tag = repeat > 1 ? ` (run ${run}/${repeat})` : '';
  if (wantFanout || scenarios.includes('memory')) for (const k of kinds) await attempt(`fanout ${k}${tag}`, async () => void fanoutRuns.push(...(await fanout(k, opts, log, wantFanout))));
  if (scenarios.includes('sustained')) for (const k of classic) await attempt(`sustained ${k}${tag}`, async () => void sustainedRuns.push(await sustained(k, opts, log)));
  if (scenarios.includes('storm') && kinds.includes('ours')) await attempt(`storm${tag}`, async () => void stormRuns.push(await storm(opts, log)));
  if (scenarios.includes('jitter')) for (const k of classic) await attempt(`jitter ${k}${tag}`, async () => void jitterRuns.push(await jitter(k, opts, log)));
  // Uploads: ours against its own baseline (a plain streaming upload to disk), whatever --targets says of the others.
  if (scenarios.includes('uploads') && kinds.includes('ours'))
    for (const k of ['ours', 'plain-upload'] as const) await attempt(`uploads ${k}${tag}`, async () => void uploadRuns.push(await uploadsScenario(k, uploadOptions, log)));
}
// Capacity: once per target (each step adds subscribers to the ones already connected), after the repeated scenarios.
const capacityRows: CapacityRow[] = [];
if (scenarios.includes('capacity')) {
  const step = int('capacity-step', values['capacity-step']);
  // Unasked, as far as this machine lets one process hold sockets (20,000 open files here): the steps end there.
  const max = values['capacity-max'] !== undefined ? int('capacity-max', values['capacity-max']) : Math.min(40_000, maxSubscribers);
  const boundMs = int('capacity-bound', values['capacity-bound']);
  const sizes = Array.from({ length: Math.max(1, Math.floor(max / step)) }, (_, i) => (i + 1) * step);
  for (const k of kinds)
    await attempt(`capacity ${k}`, async () => {
      const steps = await fanout(k, { ...opts, sizes, stopAfter: (row) => pastCapacity(row, boundMs) }, log, true);
      const row = capacityOf(k, steps, boundMs);
      log(`capacity ${k}: ${row.largestOk ?? 'no size'} subscribers with p99 under ${boundMs} ms`);
      capacityRows.push(row);
    });
}
// Rooms: one setup per server (10k signups and the rooms take minutes), then `repeat` measured phases.
if (scenarios.includes('rooms')) {
  const roomTargets = [...new Set(kinds.map(serverOf))].filter((k): k is 'ours' | 'socketio' => k === 'ours' || k === 'socketio');
  for (const k of roomTargets) await attempt(`rooms ${k}`, async () => void roomsRuns.push(...(await roomsScenario(k, { rooms: roomsOptions, workers: opts.workers, databaseUrl: opts.databaseUrl, cpuProfDir: opts.cpuProfDir, repeat }, log))));
}

// Years: once, against the seeded database (its figures are reads of data that does not change).
let years: YearsResult | null = null;
if (scenarios.includes('years')) {
  const databaseUrl = opts.databaseUrl ?? fail('--scenario years needs --database-url of a database filled by seed:years');
  await attempt('years', async () => {
    years = await yearsScenario({ databaseUrl, samples: Math.max(1, int('years-samples', values['years-samples'])), resumeBacks: list(values['years-resume']).map((b) => int('years-resume', b)), log });
  });
}

const fanoutRows = foldBy(fanoutRuns, (r) => `${r.target}:${r.subscribers}`);
const sustainedRows = foldBy(sustainedRuns, (r) => r.target);
const stormResult = stormRuns.length ? foldRuns(stormRuns) : null;
const jitterRows = foldBy(jitterRuns, (r) => r.target);
const roomsRows = foldBy(roomsRuns, (r) => r.target);
const uploadRows = foldBy(uploadRuns, (r) => r.target);
const ratios = ratiosOf(fanoutRows);
const cpu = cpus();
const result: BenchResult = {
  startedAt,
  finishedAt: new Date().toISOString(),
  command: `pnpm bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).filter((a) => a !== '--').join(' ')}` : ''}`,
  machine: { cpus: cpu.length, cpuModel: cpu[0]?.model.trim() ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, os: `${type()} ${release()}` },
  repeat,
  fanout: fanoutRows,
  sustained: sustainedRows,
  storm: stormResult,
  jitter: jitterRows,
  rooms: roomsRows,
  uploads: uploadRows,
  uploadRatios: uploadRatios(uploadRows),
  capacity: capacityRows,
  years,
  ratios,
  targets: [...checkTargets({ fanout: fanoutRows, ratios, sustained: sustainedRows, storm: stormResult, jitter: jitterRows, rooms: roomsRows }), ...(years ? yearsChecks(years) : [])],
  runs: { fanout: fanoutRuns, sustained: sustainedRuns, storm: stormRuns, jitter: jitterRuns, rooms: roomsRuns, uploads: uploadRuns },
  errors,
};

const markdown = toMarkdown(result);
mkdirSync(outDir, { recursive: true });
const stamp = startedAt.replace(/[:.]/g, '-');
writeFileSync(`${outDir}/${stamp}.json`, JSON.stringify(result, null, 2) + '\n');
writeFileSync(`${outDir}/${stamp}.md`, markdown);
writeFileSync(`${outDir}/latest.md`, markdown);
writeFileSync(`${outDir}/latest.json`, JSON.stringify(result, null, 2) + '\n');
const charts: string[] = [];
if (fanoutRows.some((r) => r.latency)) {
  writeFileSync(`${outDir}/latest.svg`, toSvg(fanoutRows, `Fan-out delivery latency (${result.machine.cpus} cores, ${startedAt.slice(0, 10)})`));
  charts.push('latest.svg');
}
if (roomsRows.length) {
  writeFileSync(`${outDir}/latest-rooms.svg`, toRoomsSvg(roomsRows, `Rooms: ours against Socket.IO rooms, medians of ${repeat} (${result.machine.cpus} cores, ${startedAt.slice(0, 10)})`));
  charts.push('latest-rooms.svg');
}
console.log(markdown);
if (errors.length) log(`scenarios failed: ${errors.join('; ')}`);
log(`wrote ${outDir}/${stamp}.json, latest.md${charts.map((c) => `, ${c}`).join('')}`);
process.exit(errors.length ? 1 : 0);
