// Table bloat under a sustained load of edits and reactions (issue 26 §1): does autovacuum keep
// every table within 2× of its compact size? Drives the production server over its public API at
// fixed rates (sends, edits of recent own messages, reaction toggles, read marks), samples each
// table's size and dead rows as it goes, and ends by comparing each table (heap, indexes and TOAST)
// with itself rewritten compactly by VACUUM FULL: bloat = size at the end / compact size.
import { cpus, loadavg } from 'node:os';
import { EVERYONE_ROOM_ID, initORM, migrate } from '@chat/db';
import { createTestDatabase } from '@chat/db/testing';
import { type Account, createAccounts, mutate } from '../accounts';
import { startTarget } from '../targets';

/** The tables these calls write to. */
export const BLOAT_TABLES = ['messages', 'events', 'message_reactions', 'room_members', 'message_mentions'] as const;
/** A client edits and reacts to recent messages, as people do: these many of the newest. */
export const RECENT = 500;
/** Calls of one kind allowed in flight; beyond it a due call is skipped and counted (the server is behind). */
const IN_FLIGHT_MAX = 64;
const EMOJI = ['👍', '🎉', '❤️', '😂', '👀'];

export type Kind = 'send' | 'edit' | 'react' | 'read';
export interface BloatOptions {
  /** A PostgreSQL server's admin URL: the scenario makes its own database there and drops it after. */
  adminUrl: string;
  seconds: number;
  accounts: number;
  /** Calls per second over all accounts. */
  rates: Record<Kind, number>;
  sampleSeconds: number;
  log: (line: string) => void;
}
export interface TableSize {
  table: string;
  heapBytes: number;
  indexBytes: number;
  totalBytes: number;
  live: number;
  dead: number;
  autovacuums: number;
}
export interface BloatResult {
  at: string;
  /** The server's `autovacuum` setting: 'off' makes the run an upper bound with no vacuum at all, not a test of autovacuum. */
  autovacuum: string;
  machine: string;
  seconds: number;
  accounts: number;
  ratesPerSecond: Record<Kind, number>;
  done: Record<Kind, number>;
  failed: Record<Kind, number>;
  skipped: Record<Kind, number>;
  tables: { table: string; endBytes: number; compactBytes: number; bloat: number; heapBloat: number; indexBloat: number; autovacuums: number; live: number }[];
  samples: { atSeconds: number; done: Record<Kind, number>; tables: TableSize[] }[];
}

const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)]!;
const counts = (): Record<Kind, number> => ({ send: 0, edit: 0, react: 0, read: 0 });
const ratio = (a: number, b: number) => +(a / Math.max(1, b)).toFixed(2);
export const mb = (bytes: number) => (bytes / 1024 ** 2).toFixed(1);

export async function bloatScenario(opts: BloatOptions): Promise<BloatResult> {
  const database = await createTestDatabase(opts.adminUrl);
  const orm = await initORM({ clientUrl: database.url, poolMax: 2 });
  const sizes = async (): Promise<TableSize[]> => {
    const rows = await orm.em.fork().execute<{ relname: string; heap: string; idx: string; total: string; live: string; dead: string; av: string }[]>(
      `select relname, pg_table_size(relid)::text as heap, pg_indexes_size(relid)::text as idx, pg_total_relation_size(relid)::text as total,
              n_live_tup::text as live, n_dead_tup::text as dead, autovacuum_count::text as av
         from pg_stat_user_tables where relname in (${BLOAT_TABLES.map(() => '?').join(', ')}) order by relname`,
      [...BLOAT_TABLES],
    );
    return rows.map((r) => ({ table: r.relname, heapBytes: +r.heap, indexBytes: +r.idx, totalBytes: +r.total, live: +r.live, dead: +r.dead, autovacuums: +r.av }));
  };
  try {
    await migrate(orm);
    const [setting] = await orm.em.fork().execute<{ autovacuum: string }[]>('show autovacuum');
    const autovacuum = setting!.autovacuum;
    if (autovacuum !== 'on') opts.log(`this PostgreSQL runs with autovacuum=${autovacuum}: the run measures bloat with no vacuum at all, not autovacuum`);
    // Retention off: a 30-day job has nothing to delete in an hour, and its deletes would be a second workload.
    const server = await startTarget('ours', { databaseUrl: database.url, env: { EVENT_RETENTION_DAYS: '0' }, log: opts.log });
    try {
      opts.log(`signing up ${opts.accounts} accounts...`);
      const accounts = await createAccounts(server.url, opts.accounts);
      const recent: { id: string; author: Account }[] = [];
      const reacted = new Set<string>();
      const done = counts();
      const failed = counts();
      const skipped = counts();
      const inFlight = counts();
      let seq = 0;
      const calls: Record<Kind, () => Promise<unknown> | null> = {
        send: async () => {
          const author = pick(accounts);
          const n = seq++;
          const text = `bloat ${n}: a message about lunch, the build and @${pick(accounts).username}`;
          const message = await mutate(server.url, 'chat.send', { text, clientMessageId: `b${n}` }, author.token);
          recent.push({ id: message.id, author });
          if (recent.length > RECENT) recent.splice(0, recent.length - RECENT);
        },
        edit: () => {
          if (recent.length === 0) return null;
          const { id, author } = pick(recent);
          return mutate(server.url, 'chat.edit', { messageId: id, text: `edited at ${Date.now()}: a message about lunch, the build and more` }, author.token);
        },
        react: () => {
          if (recent.length === 0) return null;
          const { id } = pick(recent);
          const who = pick(accounts);
          const emoji = pick(EMOJI);
          const key = `${id} ${who.id} ${emoji}`;
          const on = !reacted.has(key);
          if (on) reacted.add(key);
          else reacted.delete(key);
          return mutate(server.url, 'chat.react', { messageId: id, emoji, on }, who.token);
        },
        read: () => (recent.length === 0 ? null : mutate(server.url, 'room.markRead', { roomId: EVERYONE_ROOM_ID, messageId: recent.at(-1)!.id }, pick(accounts).token)),
      };
      const started = performance.now();
      const endAt = started + opts.seconds * 1000;
      // Each tick fires what is due since the start, so a slow call never lowers the rate (it is skipped and counted instead).
      const timers = (Object.keys(opts.rates) as Kind[]).map((kind) => {
        let fired = 0;
        return setInterval(() => {
          const due = Math.floor(((performance.now() - started) / 1000) * opts.rates[kind]);
          for (; fired < due; fired++) {
            if (inFlight[kind] >= IN_FLIGHT_MAX) {
              skipped[kind]++;
              continue;
            }
            const call = calls[kind]();
            if (!call) continue;
            inFlight[kind]++;
            call.then(
              () => done[kind]++,
              () => failed[kind]++,
            ).finally(() => inFlight[kind]--);
          }
        }, 50);
      });
      const samples: BloatResult['samples'] = [];
      const sample = async () => {
        const s = { atSeconds: Math.round((performance.now() - started) / 1000), done: { ...done }, tables: await sizes() };
        samples.push(s);
        const line = s.tables.map((t) => `${t.table} ${mb(t.totalBytes)} MB (${t.dead} dead, ${t.autovacuums} autovacuums)`).join(', ');
        opts.log(`${s.atSeconds}/${opts.seconds} s: ${done.send} sends, ${done.edit} edits, ${done.react} reactions, ${done.read} read marks; ${line}`);
      };
      await sample();
      while (performance.now() < endAt) {
        await new Promise((r) => setTimeout(r, Math.min(opts.sampleSeconds * 1000, endAt - performance.now())));
        await sample();
      }
      for (const timer of timers) clearInterval(timer);
      while (Object.values(inFlight).some((n) => n > 0)) await new Promise((r) => setTimeout(r, 50));
      await sample();
      const end = samples.at(-1)!.tables;
      opts.log('rewriting each table compactly (VACUUM FULL) to compare...');
      for (const table of BLOAT_TABLES) await orm.em.fork().execute(`vacuum full "${table}"`);
      const compact = await sizes();
      // Exact, after the rewrite: the statistics' live count is an estimate VACUUM FULL does not refresh.
      for (const c of compact) c.live = Number((await orm.em.fork().execute<{ n: string }[]>(`select count(*)::text as n from "${c.table}"`))[0]!.n);
      return {
        at: new Date().toISOString(),
        autovacuum,
        machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load ${loadavg()[0]!.toFixed(1)} at the end`,
        seconds: opts.seconds,
        accounts: opts.accounts,
        ratesPerSecond: opts.rates,
        done,
        failed,
        skipped,
        tables: end.map((t) => {
          const c = compact.find((x) => x.table === t.table)!;
          return {
            table: t.table,
            endBytes: t.totalBytes,
            compactBytes: c.totalBytes,
            bloat: ratio(t.totalBytes, c.totalBytes),
            heapBloat: ratio(t.heapBytes, c.heapBytes),
            indexBloat: ratio(t.indexBytes, c.indexBytes),
            autovacuums: t.autovacuums,
            live: c.live,
          };
        }),
        samples,
      };
    } finally {
      await server.stop();
    }
  } finally {
    await orm.close();
    await database.drop();
  }
}

/** The run as Markdown: what was done, each table against its compact self, the 2× target. */
export function bloatMarkdown(r: BloatResult, command: string): string {
  const sum = (c: Record<Kind, number>) => Object.values(c).reduce((a, b) => a + b, 0);
  const over = r.tables.filter((t) => t.bloat > 2);
  return [
    `Run ${r.at} on ${r.machine}. Command: \`${command}\`. PostgreSQL autovacuum: **${r.autovacuum}**${r.autovacuum === 'on' ? '' : ' (so this is bloat with no vacuum at all, an upper bound, not a test of autovacuum)'}.`,
    '',
    `${r.seconds} s at ${r.ratesPerSecond.send} sends, ${r.ratesPerSecond.edit} edits, ${r.ratesPerSecond.react} reaction toggles and ${r.ratesPerSecond.read} read marks per second ` +
      `(${r.accounts} accounts; edits and reactions on the newest ${RECENT} messages): done ${r.done.send} / ${r.done.edit} / ${r.done.react} / ${r.done.read}, ` +
      `failed ${sum(r.failed)}, skipped because the server was behind ${sum(r.skipped)}.`,
    '',
    '| table | at the end MB | compact (VACUUM FULL) MB | bloat | heap | indexes | autovacuums | live rows |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...r.tables.map((t) => `| ${t.table} | ${mb(t.endBytes)} | ${mb(t.compactBytes)} | ${t.bloat}× | ${t.heapBloat}× | ${t.indexBloat}× | ${t.autovacuums} | ${t.live} |`),
    '',
    `Target, no table past 2× its compact size: ${over.length === 0 ? 'met' : `missed (${over.map((t) => `${t.table} ${t.bloat}×`).join(', ')})`}.`,
    '',
  ].join('\n');
}
