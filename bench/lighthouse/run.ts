// `pnpm lighthouse [-- --runs 3 --database-url URL --no-build --reports-dir DIR --baseline-dist DIR]`: builds the app,
// starts the production server (apps/server/dist/main.js) on a free port with a fresh database, and runs Lighthouse
// (mobile, simulated throttling) on the login page and on a signed-in room. Writes bench/lighthouse/latest.json.
// With --baseline-dist (another build of apps/web, e.g. main's), a second server serves that build and each run
// measures both, one right after the other: on a shared machine only figures taken under the same load compare.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createTestDatabase } from '@chat/db/testing';
import lighthouse from 'lighthouse';
import { mutate } from '../src/accounts';
import { ensureServerBuilt, startTarget } from '../src/targets';
import { CHROME_PATH, launchChromium } from './chromium';
import { type PageResult, type RunResult, medianRun, summarize, toTable } from './report';

const { values } = parseArgs({
  // pnpm hands on the `--` that separates its own options from ours.
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    runs: { type: 'string', default: '3' },
    'database-url': { type: 'string', default: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    'no-build': { type: 'boolean', default: false },
    out: { type: 'string', default: fileURLToPath(new URL('latest.json', import.meta.url)) },
    /** Also keep each run's whole Lighthouse report (JSON; open it in the Lighthouse viewer). */
    'reports-dir': { type: 'string' },
    /** A web build to compare with, measured in turn with this one. */
    'baseline-dist': { type: 'string' },
    /** With --reports-dir: also each run's trace, with V8's CPU samples (open it in DevTools' Performance panel). */
    traces: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const log = (line: string) => console.error(`[lighthouse] ${line}`);

/** The key and shape the web app keeps its session under (apps/web/src/session/session-store.ts). */
const SESSION_KEY = 'chat.session.v1';
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];

if (!values['no-build']) {
  log('building the web app and the server...');
  execFileSync('pnpm', ['--filter', '@chat/web', 'build'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  ensureServerBuilt(log, true);
}

/** A server with a conversation in it, as a signed-in user first sees it, and that user's stored session. */
async function seededServer(webDistDir?: string) {
  const database = await createTestDatabase(values['database-url']);
  const server = await startTarget('ours', { databaseUrl: database.url, log, ...(webDistDir ? { webDistDir } : {}) });
  const password = 'lighthouse-password-1234';
  const me = await mutate(server.url, 'auth.signup', { username: 'ada_lovelace', password });
  const other = await mutate(server.url, 'auth.signup', { username: 'grace.hopper', password });
  for (let i = 0; i < 30; i++) {
    const author = i % 3 === 0 ? me : other;
    await mutate(server.url, 'chat.send', { text: `Message ${i + 1}: the **plan** for Friday, see https://example.com/notes/${i} and ask @ada_lovelace` }, author.token);
  }
  const exp = (JSON.parse(Buffer.from(me.token.split('.')[1] ?? '', 'base64url').toString()) as { exp: number }).exp;
  const session = JSON.stringify({ token: me.token, expiresAt: exp * 1000, user: me.user });
  return {
    url: server.url,
    session,
    async stop() {
      await server.stop();
      await database.drop();
    },
  };
}

async function audit(url: string, session: string | null, reportName: string): Promise<RunResult> {
  const chromium = await launchChromium();
  try {
    // The session is set from /robots.txt: same origin, and none of the app lands in the cache.
    if (session) await chromium.setLocalStorage(`${new URL(url).origin}/robots.txt`, SESSION_KEY, session);
    const traced = values.traces && values['reports-dir'];
    const result = await lighthouse(url, {
      port: chromium.port,
      logLevel: 'error',
      onlyCategories: CATEGORIES,
      disableStorageReset: session !== null,
      // The samples show which functions a long task ran; they add a little to every task, so only when asked.
      ...(traced ? { additionalTraceCategories: 'disabled-by-default-v8.cpu_profiler' } : {}),
    });
    if (!result) throw new Error('Lighthouse returned no result');
    if (values['reports-dir']) {
      mkdirSync(values['reports-dir'], { recursive: true });
      writeFileSync(join(values['reports-dir'], `${reportName}.json`), JSON.stringify(result.lhr));
      if (traced) writeFileSync(join(values['reports-dir'], `${reportName}.trace.json`), JSON.stringify(result.artifacts.Trace));
    }
    return summarize(result.lhr, loadavg()[0] ?? 0);
  } finally {
    await chromium.close();
  }
}

const baselineDist = values['baseline-dist'];
const targets = [{ label: '', server: await seededServer() }];
try {
  if (baselineDist) targets.push({ label: 'baseline', server: await seededServer(baselineDist) });
  // `/` is the login page signed out, and #everyone (the room the installed app opens) signed in.
  const pages = [
    { name: 'login', signedIn: false },
    { name: 'signed-in room', signedIn: true },
  ];
  const results: Record<string, PageResult[]> = Object.fromEntries(targets.map((t) => [t.label, []]));
  for (const page of pages) {
    const pageRuns: Record<string, RunResult[]> = Object.fromEntries(targets.map((t) => [t.label, []]));
    for (let i = 0; i < runs; i++) {
      for (const { label, server } of targets) {
        log(`${page.name}${label ? ` (${label})` : ''}: run ${i + 1} of ${runs} (load ${loadavg()[0]?.toFixed(1)})`);
        const name = `${label ? `${label}-` : ''}${page.name.replaceAll(' ', '-')}-${i + 1}`;
        pageRuns[label]?.push(await audit(`${server.url}/`, page.signedIn ? server.session : null, name));
      }
    }
    for (const { label } of targets) {
      const measured = pageRuns[label] ?? [];
      results[label]?.push({ page: label ? `${page.name} (${label})` : page.name, path: '/', median: medianRun(measured), runs: measured });
    }
  }
  const ours = results[''] ?? [];
  const baseline = results.baseline;

  const chromiumVersion = execFileSync(CHROME_PATH, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  const report = {
    date: new Date().toISOString(),
    lighthouse: ours[0]?.median.lighthouseVersion,
    chromium: chromiumVersion,
    settings: 'mobile (Moto G Power), simulated throttling: slow 4G, 4x CPU slowdown',
    machine: { cores: cpus().length, loadAverage1mAtEnd: Number(loadavg()[0]?.toFixed(2)) },
    runsPerPage: runs,
    pages: ours,
    ...(baseline ? { baseline: { dist: baselineDist, note: 'measured in turn with the pages above, run by run', pages: baseline } } : {}),
  };
  writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(toTable([...ours, ...(baseline ?? [])]));
  log(`wrote ${values.out}`);
} finally {
  for (const { server } of targets) await server.stop();
}
