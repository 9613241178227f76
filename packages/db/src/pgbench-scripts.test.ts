import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { repositoriesFor } from './orm';
import { pgbenchScripts } from './pgbench-scripts';
import { positional, renderAppend, renderAppendBatch } from './repositories/append-statements';
import { useMigratedDatabase } from './test-database';

const database = useMigratedDatabase({ poolMax: 2 });
const scripts = pgbenchScripts();
const pgbench = process.env.PGBENCH ?? '/usr/lib/postgresql/15/bin/pgbench';

/** A script's statement: what follows its comments and `\set` lines, without the final `;`. */
const statementOf = (script: string) =>
  script
    .split('\n')
    .filter((line, i, all) => !line.startsWith('\\set') && !(line.startsWith('--') && all.slice(0, i).every((l) => l.startsWith('--'))))
    .join('\n')
    .trim()
    .replace(/;$/, '');

/** The script's statement with pgbench's variables given values, as pgbench would send it. */
const withVariables = (script: string, values: Record<string, number>) =>
  statementOf(script).replace(/(?<!:):([a-z]+)\b/g, (whole, name: string) => (name in values ? String(values[name]) : whole));

/** Matches `text` against `sql` read as fixed text with an expression wherever `sql` has a `?`; the expressions, or null. */
function expressionsFor(sql: string, text: string): string[] | null {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^${sql.split('?').map(escape).join('(\\([\\s\\S]+?\\))')}$`);
  const found = pattern.exec(text);
  return found ? found.slice(1) : null;
}

const count = async (sql: string) => (await database.orm.em.fork().execute<{ n: number }[]>(sql))[0]!.n;

describe('the pgbench scripts are the statements the repository sends', () => {
  it('MessageRepository.append and appendBatch send the statements the scripts are rendered from', async () => {
    const em = database.orm.em.fork();
    const execute = vi.spyOn(em, 'execute');
    const repos = repositoriesFor(em);
    const ann = (await repos.users.insertIfUsernameFree({ username: 'ann', passwordHash: 'x' }))!.id;
    await repos.rooms.joinEveryone(ann);
    execute.mockClear();
    await repos.messages.append({ authorId: ann, text: 'one', clientMessageId: 'c1' });
    await repos.messages.appendBatch([{ authorId: ann, text: 'two', clientMessageId: 'c2' }]);
    expect(execute.mock.calls.map((call) => call[0])).toEqual([positional(renderAppend).sql, positional(renderAppendBatch).sql]);
  });

  it("each script's statement is the repository's, with an expression of pgbench's variables for each parameter", () => {
    const one = expressionsFor(positional(renderAppend).sql, statementOf(scripts['append-locked.sql']));
    expect(one).toHaveLength(10);
    expect(one!.join(' ')).toMatch(/:u/);
    const batch = expressionsFor(positional(renderAppendBatch).sql, statementOf(scripts['append-batch-locked.sql']));
    expect(batch).toHaveLength(6);
    expect(batch!.join(' ')).toMatch(/:n/);
  });

  it('the unlocked script differs from the locked one only where the lock is taken', () => {
    const locked = statementOf(scripts['append-locked.sql']);
    const unlocked = statementOf(scripts['append-unlocked.sql']);
    expect(locked).toContain('select pg_advisory_xact_lock((4242001))');
    expect(unlocked).not.toContain('pg_advisory_xact_lock');
    expect(unlocked).toBe(locked.replace('pg_advisory_xact_lock((4242001))', '1'));
  });
});

describe('the scripts run on a migrated database with the seed, and every send is allowed', () => {
  it('seeds, then each script appends its rows with their message.created events', async () => {
    const em = database.orm.em.fork();
    await em.execute(statementOf(scripts['seed.sql']));
    expect(await count(`select count(*)::int as n from room_members where user_id::text like '00000000-0000-4000-8000-%'`)).toBe(1000);
    for (const [name, values, rows] of [
      ['append-locked.sql', { u: 7, c: 1 }, 1],
      ['append-unlocked.sql', { u: 8, c: 2 }, 1],
      ['append-batch-locked.sql', { u: 999, c: 3, n: 16 }, 16],
    ] as const) {
      const answer = await em.execute<{ allowed: number | boolean; id: string | null; event_id: string | null }[]>(withVariables(scripts[name], values));
      expect(answer, name).toHaveLength(rows);
      // A refused send would measure a lock and no insert: every row must go in, with its event.
      expect(answer.every((r) => r.allowed !== 0 && r.allowed !== false && r.id !== null && r.event_id !== null), name).toBe(true);
    }
    const sent = `messages m join room_members rm on rm.room_id = m.room_id and rm.user_id = m.author_id where m.text like 'pgbench message %'`;
    expect(await count(`select count(*)::int as n from ${sent}`)).toBe(18);
    expect(await count(`select count(*)::int as n from events e where e.type = 'message.created' and e.message_id in (select m.id from ${sent})`)).toBe(18);
  });

  it.skipIf(!existsSync(pgbench))('run under pgbench itself (its \\set and :variables), no transaction failing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pgbench-scripts-'));
    try {
      for (const [name, text] of Object.entries(scripts)) writeFileSync(join(dir, name), text);
      const before = await count('select count(*)::int as n from messages');
      const run = (...args: string[]) => promisify(execFile)(pgbench, ['-n', '-c', '2', '-t', '3', ...args, database.url]);
      await run('-f', join(dir, 'append-locked.sql'));
      await run('-f', join(dir, 'append-unlocked.sql'));
      await run('-D', 'n=4', '-f', join(dir, 'append-batch-locked.sql'));
      // 2 clients × 3 transactions: 6 rows each for (a) and (b), 24 for (c); random clientMessageIds may rarely collide.
      expect(await count('select count(*)::int as n from messages')).toBeGreaterThanOrEqual(before + 34);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
