// pnpm --filter @chat/bench bloat [--seconds 3600] [--accounts 20] [--sends 20] [--edits 40] [--reactions 40] [--reads 20] [--sample 60] [--out DIR]
//
// Rates are per second over all accounts. Needs PostgreSQL at BENCH_DATABASE_URL's server (default
// postgres://postgres@127.0.0.1:5432/postgres). Writes <out>/<timestamp>.{json,md} and
// latest.{json,md}; the default out is bench/results/bloat.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureServerBuilt } from '../targets';
import { bloatMarkdown, bloatScenario } from './scenario';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const log = (line: string) => console.error(`${new Date().toISOString().slice(11, 19)} ${line}`);
const outDir = arg('out', fileURLToPath(new URL('../../results/bloat/', import.meta.url)));

ensureServerBuilt(log, true);
const result = await bloatScenario({
  adminUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  seconds: Number(arg('seconds', '3600')),
  accounts: Number(arg('accounts', '20')),
  rates: { send: Number(arg('sends', '20')), edit: Number(arg('edits', '40')), react: Number(arg('reactions', '40')), read: Number(arg('reads', '20')) },
  sampleSeconds: Number(arg('sample', '60')),
  log,
});
const md = bloatMarkdown(result, `pnpm --filter @chat/bench bloat ${process.argv.slice(2).join(' ')}`.trim());
mkdirSync(outDir, { recursive: true });
const stamp = result.at.replace(/[:.]/g, '-');
for (const name of [stamp, 'latest']) {
  writeFileSync(join(outDir, `${name}.json`), JSON.stringify(result, null, 2) + '\n');
  writeFileSync(join(outDir, `${name}.md`), md);
}
console.log(md);
