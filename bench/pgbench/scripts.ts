// Writes the pgbench scripts into <dir>: the server's append statements as packages/db renders them
// today (decision 162), so run.sh never measures a copy that has drifted from the code.
// Usage: pnpm --filter @chat/bench pgbench:scripts <dir>
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pgbenchScripts } from '@chat/db/pgbench-scripts';

const dir = process.argv[2];
if (!dir) {
  console.error('Usage: pnpm --filter @chat/bench pgbench:scripts <dir>');
  process.exit(1);
}
// pnpm runs the script in bench/; a relative <dir> means the caller's folder (INIT_CWD).
const out = resolve(process.env.INIT_CWD ?? '.', dir);
mkdirSync(out, { recursive: true });
for (const [name, text] of Object.entries(pgbenchScripts())) writeFileSync(join(out, name), text);
