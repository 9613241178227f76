// `pnpm lighthouse [-- --runs 3 --database-url URL --no-build --reports-dir DIR]`: builds the app, starts the production
// server (apps/server/dist/main.js) on a free port with a fresh database, and runs Lighthouse (mobile,
// simulated throttling) on the login page and on a signed-in room. Writes bench/lighthouse/latest.json.
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

const database = await createTestDatabase(values['database-url']);
const server = await startTarget('ours', { databaseUrl: database.url, log });
try {
  // A room with a conversation in it, as a signed-in user first sees it.
  const password = 'lighthouse-password-1234';
  const me = await mutate(server.url, 'auth.signup', { username: 'ada_lovelace', password });
  const other = await mutate(server.url, 'auth.signup', { username: 'grace.hopper', password });
  for (let i = 0; i < 30; i++) {
    const author = i % 3 === 0 ? me : other;
    await mutate(server.url, 'chat.send', { text: `Message ${i + 1}: the **plan** for Friday, see https://example.com/notes/${i} and ask @ada_lovelace` }, author.token);
  }
  const exp = (JSON.parse(Buffer.from(me.token.split('.')[1] ?? '', 'base64url').toString()) as { exp: number }).exp;
  const session = JSON.stringify({ token: me.token, expiresAt: exp * 1000, user: me.user });

  // `/` is the login page signed out, and #everyone (the room the installed app opens) signed in.
  const pages = [
    { name: 'login', url: `${server.url}/`, session: null },
    { name: 'signed-in room', url: `${server.url}/`, session },
  ];
  const results: PageResult[] = [];
  for (const page of pages) {
    const pageRuns: RunResult[] = [];
    for (let i = 0; i < runs; i++) {
      log(`${page.name}: run ${i + 1} of ${runs} (load ${loadavg()[0]?.toFixed(1)})`);
      const chromium = await launchChromium();
      try {
        // The session is set from /robots.txt: same origin, and none of the app lands in the cache.
        if (page.session) await chromium.setLocalStorage(`${server.url}/robots.txt`, SESSION_KEY, page.session);
        const result = await lighthouse(page.url, { port: chromium.port, logLevel: 'error', onlyCategories: CATEGORIES, disableStorageReset: page.session !== null });
        if (!result) throw new Error('Lighthouse returned no result');
        if (values['reports-dir']) {
          mkdirSync(values['reports-dir'], { recursive: true });
          writeFileSync(join(values['reports-dir'], `${page.name.replaceAll(' ', '-')}-${i + 1}.json`), JSON.stringify(result.lhr));
        }
        pageRuns.push(summarize(result.lhr, loadavg()[0] ?? 0));
      } finally {
        await chromium.close();
      }
    }
    results.push({ page: page.name, path: new URL(page.url).pathname, median: medianRun(pageRuns), runs: pageRuns });
  }

  const chromiumVersion = execFileSync(CHROME_PATH, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  const report = {
    date: new Date().toISOString(),
    lighthouse: results[0]?.median.lighthouseVersion,
    chromium: chromiumVersion,
    settings: 'mobile (Moto G Power), simulated throttling: slow 4G, 4x CPU slowdown',
    machine: { cores: cpus().length, loadAverage1mAtEnd: Number(loadavg()[0]?.toFixed(2)) },
    runsPerPage: runs,
    pages: results,
  };
  writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(toTable(results));
  log(`wrote ${values.out}`);
} finally {
  await server.stop();
  await database.drop();
}
