// `--scenario years`: what years of data cost a reader, through the real server and the real
// @trpc/client, against a database filled by `seed:years`. Ids and sizes are looked up in SQL;
// every timed call goes through the server.
import type { AppRouter } from '@chat/api';
import { EVERYONE_ROOM_ID } from '@chat/db';
import { createTRPCClient, createWSClient, httpLink, splitLink, wsLink } from '@trpc/client';
import pg from 'pg';
import WebSocket from 'ws';
import { BENCH_PASSWORD } from '../accounts';
import { type Percentiles, percentiles } from '../stats';
import { startTarget } from '../targets';
import { vocabulary } from './vocabulary';
import { yearsUsername } from './seed';

export interface YearsOptions {
  databaseUrl: string;
  /** Timed calls of each kind (history, unread); search takes a quarter of it. */
  samples: number;
  /** How far back chat.onEvent resumes, in events. */
  resumeBacks: number[];
  log: (line: string) => void;
}

export interface ResumeRow {
  eventsBack: number;
  /** Items before the stream was live (its presence.snapshot): replayed events, or one resync. */
  items: number;
  resync: boolean;
  /** From subscribing to the presence snapshot that follows the backlog. */
  liveMs: number;
}

export interface YearsResult {
  data: { messages: number; events: number; rooms: number; users: number; memberships: number };
  reader: { username: string; rooms: number };
  startMs: number;
  history: { room: string; roomMessages: number; newest: Percentiles; oldest: Percentiles }[];
  search: { word: string; kind: 'common' | 'rare'; scope: 'all rooms' | 'one room'; results: number; latency: Percentiles }[];
  resume: ResumeRow[];
  unread: { username: string; rooms: number; unreadRooms: number; latency: Percentiles }[];
  /** `alter table messages add column … null` and its drop, as a migration runs them. */
  addColumnMs: number;
  sizes: { name: string; kind: 'table' | 'index'; bytes: number; rows: number | null }[];
}

type Client = ReturnType<typeof clientFor>;

function clientFor(url: string, token: string | null) {
  const ws = createWSClient({ url: `${url.replace(/^http/, 'ws')}/ws`, connectionParams: token ? { token } : undefined, WebSocket: WebSocket as unknown as typeof globalThis.WebSocket, lazy: { enabled: true, closeMs: 0 } });
  const trpc = createTRPCClient<AppRouter>({
    links: [splitLink({ condition: (op) => op.type === 'subscription', true: wsLink({ client: ws }), false: httpLink({ url: `${url}/trpc`, headers: () => (token ? { authorization: `Bearer ${token}` } : {}) }) })],
  });
  return { trpc, close: () => ws.close() };
}

async function timed(samples: number, fn: () => Promise<unknown>): Promise<Percentiles> {
  await fn(); // the first call warms the connection and the plan cache; it is not counted
  const ms: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  return percentiles(ms);
}

/** Subscribes from `eventsBack` before the newest event and counts what arrives until the stream is live. */
async function resumeFrom(c: Client, newest: number, eventsBack: number): Promise<ResumeRow> {
  const lastEventId = String(Math.max(0, newest - eventsBack));
  const t = performance.now();
  let items = 0;
  let resync = false;
  return new Promise<ResumeRow>((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.unsubscribe();
      reject(new Error(`resume from ${eventsBack} back: not live within 120 s (${items} items)`));
    }, 120_000);
    const sub = c.trpc.chat.onEvent.subscribe(
      { lastEventId },
      {
        onData: ({ data }) => {
          if (data.type !== 'presence.snapshot') {
            items++;
            resync ||= data.type === 'resync';
            return;
          }
          clearTimeout(timer);
          sub.unsubscribe();
          resolve({ eventsBack, items, resync, liveMs: Math.round((performance.now() - t) * 100) / 100 });
        },
        onError: (error) => {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      },
    );
  });
}

export async function yearsScenario(o: YearsOptions): Promise<YearsResult> {
  const { log } = o;
  const db = new pg.Client({ connectionString: o.databaseUrl });
  await db.connect();
  const one = async <T>(sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows[0] as T;
  try {
    const data = await one<YearsResult['data']>(
      `select (select count(*) from messages)::int as messages, (select count(*) from events)::int as events, (select count(*) from rooms)::int as rooms,
              (select count(*) from users)::int as users, (select count(*) from room_members where left_event_id is null)::int as memberships`,
    );
    if (data.messages === 0) throw new Error('the database has no messages: fill it with `pnpm --filter @chat/bench seed:years` first');
    // The reader: the seed's first heavy user (in the most rooms); the plain reader: the last user.
    const reader = yearsUsername(0);
    const { rooms: readerRooms } = await one<{ rooms: number }>(`select count(*)::int as rooms from room_members rm join users u on u.id = rm.user_id where u.username = $1 and rm.left_event_id is null`, [reader]);
    log(`years: ${data.messages} messages, ${data.events} events; reader ${reader} in ${readerRooms} rooms`);

    const t0 = performance.now();
    const target = await startTarget('ours', { databaseUrl: o.databaseUrl, log });
    const startMs = Math.round(performance.now() - t0);
    log(`years: server healthy after ${startMs} ms`);
    const anon = clientFor(target.url, null);
    try {
      const { token } = await anon.trpc.auth.login.mutate({ username: reader, password: BENCH_PASSWORD });
      const c = clientFor(target.url, token);
      try {
        // History: #everyone (the busiest room) and the reader's busiest other room; the newest page and the oldest.
        const busiest = await one<{ room_id: string; n: number }>(
          `select m.room_id, count(*)::int as n from messages m where m.room_id in (select rm.room_id from room_members rm join users u on u.id = rm.user_id where u.username = $1 and rm.left_event_id is null and rm.room_id <> $2)
            group by 1 order by 2 desc limit 1`,
          [reader, EVERYONE_ROOM_ID],
        );
        const everyone = await one<{ n: number }>('select count(*)::int as n from messages where room_id = $1', [EVERYONE_ROOM_ID]);
        const history: YearsResult['history'] = [];
        for (const [label, roomId, n] of [
          ['#everyone', EVERYONE_ROOM_ID, everyone.n],
          ["the reader's busiest other room", busiest.room_id, busiest.n],
        ] as const) {
          const oldestBefore = await one<{ id: string } | undefined>('select id::text as id from messages where room_id = $1 order by id offset 50 limit 1', [roomId]);
          const newest = await timed(o.samples, () => c.trpc.chat.history.query({ roomId, limit: 50 }));
          const oldest = await timed(o.samples, () => c.trpc.chat.history.query({ roomId, limit: 50, ...(oldestBefore ? { before: oldestBefore.id } : {}) }));
          history.push({ room: label, roomMessages: n, newest, oldest });
          log(`years: history ${label} (${n} messages): newest p99 ${newest.p99} ms, oldest p99 ${oldest.p99} ms`);
        }

        const vocab = vocabulary();
        const search: YearsResult['search'] = [];
        for (const [word, kind] of [
          [vocab.commonWord, 'common'],
          [vocab.rareWord, 'rare'],
        ] as const)
          for (const scope of ['all rooms', 'one room'] as const) {
            const input = { query: word, limit: 20, ...(scope === 'one room' ? { roomId: EVERYONE_ROOM_ID } : {}) };
            const first = await c.trpc.chat.search.query(input);
            const latency = await timed(Math.max(5, Math.round(o.samples / 4)), () => c.trpc.chat.search.query(input));
            search.push({ word, kind, scope, results: first.results.length, latency });
            log(`years: search ${kind} "${word}" in ${scope}: ${first.results.length} results, p99 ${latency.p99} ms`);
          }

        const { newest } = await one<{ newest: number }>('select max(id)::float8 as newest from events');
        const resume: ResumeRow[] = [];
        for (const back of o.resumeBacks) {
          const row = await resumeFrom(c, newest, back);
          resume.push(row);
          log(`years: resume from ${back} events back: ${row.items} items${row.resync ? ' (resync)' : ''}, live after ${row.liveMs} ms`);
        }

        const unread: YearsResult['unread'] = [];
        const plain = yearsUsername(data.users - 1);
        // A DM's members are read per room: the user in the most DMs shows what that costs at 100,000 users.
        const dmReader = await one<{ username: string } | undefined>(
          `select u.username from room_members rm join rooms r on r.id = rm.room_id and r.kind = 'dm' join users u on u.id = rm.user_id
            where rm.left_event_id is null group by u.username order by count(*) desc, u.username limit 1`,
        );
        const readers: (readonly [string, typeof c | null])[] = [[reader, c], [plain, null], ...(dmReader ? [[dmReader.username, null] as const] : [])];
        for (const [username, client] of readers) {
          const cl = client ?? clientFor(target.url, (await anon.trpc.auth.login.mutate({ username, password: BENCH_PASSWORD })).token);
          try {
            const list = await cl.trpc.room.list.query();
            const latency = await timed(o.samples, () => cl.trpc.room.list.query());
            unread.push({ username, rooms: list.length, unreadRooms: list.filter((r) => r.unread > 0).length, latency });
            log(`years: room.list for ${username} (${list.length} rooms): p50 ${latency.p50} ms, p99 ${latency.p99} ms`);
          } finally {
            if (!client) cl.close();
          }
        }

        // A migration's new nullable column: the time it takes, and how long it holds the table's lock.
        const t = performance.now();
        await db.query('alter table messages add column years_bench_probe text');
        const addColumnMs = Math.round((performance.now() - t) * 100) / 100;
        await db.query('alter table messages drop column years_bench_probe');
        log(`years: add a nullable column to messages: ${addColumnMs} ms`);

        const sizes = (
          await db.query(
            `select c.relname as name, case when c.relkind = 'i' then 'index' else 'table' end as kind, pg_relation_size(c.oid)::float8 as bytes,
                    case when c.relkind = 'r' then c.reltuples::float8 end as rows
               from pg_class c join pg_namespace n on n.oid = c.relnamespace
              where n.nspname = 'public' and c.relkind in ('r', 'i') and pg_relation_size(c.oid) > 1024 * 1024
              order by pg_relation_size(c.oid) desc`,
          )
        ).rows as YearsResult['sizes'];
        return { data, reader: { username: reader, rooms: readerRooms }, startMs, history, search, resume, unread, addColumnMs, sizes };
      } finally {
        c.close();
      }
    } finally {
      anon.close();
      await target.stop();
    }
  } finally {
    await db.end();
  }
}
