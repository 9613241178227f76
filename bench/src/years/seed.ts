// Years of data in minutes: users, rooms and memberships are made in JS (their names need the
// server's skeleton function) and sent as arrays; the millions of messages and events are made by
// PostgreSQL itself from generate_series (INSERT … SELECT runs at COPY speed, with no bytes on the wire).
import { randomUUID } from 'node:crypto';
import { EVERYONE_ROOM_ID, usernameSkeleton } from '@chat/db';
import pg from 'pg';
import { seededRandom, vocabulary } from './vocabulary';

export interface YearsOptions {
  messages: number;
  rooms: number;
  users: number;
  /** Users (the first ones, `years_0` …) who are members of `heavyRooms` rooms each. */
  heavyUsers: number;
  heavyRooms: number;
  /** Share of all messages in #everyone: one very busy room. */
  everyoneShare: number;
  /** The history spans this many days, ending now. */
  days: number;
}

export const YEARS_DEFAULTS: YearsOptions = { messages: 20_000, rooms: 50, users: 300, heavyUsers: 5, heavyRooms: 20, everyoneShare: 0.2, days: 3 * 365 };

/** Seeded usernames: `years_<n>`; the heavy users are the first. All share BENCH_PASSWORD. */
export const yearsUsername = (n: number) => `years_${n}`;

// argon2id (the server's parameters) of bench/src/accounts.ts's BENCH_PASSWORD, computed once: one
// hash per account would take the 100,000 accounts 2 hours.
const PASSWORD_HASH = '$argon2id$v=19$m=19456,t=2,p=1$ZMer7hHq4jB/0qM667PdmQ$tDUuESxQDfjLQjxxl2xZA5larRqUveOoEwUyAc+yiXs';

type Log = (line: string) => void;

interface RoomSeed {
  id: string;
  kind: 'channel' | 'private' | 'dm';
  name: string;
  members: number[];
}

const BATCH = 20_000;

async function inBatches<T>(rows: T[], fn: (batch: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += BATCH) await fn(rows.slice(i, i + BATCH));
}

/** The rooms and who is in them: channels of log-uniform size, small private rooms, DMs, and the heavy users in many. */
function planRooms(o: YearsOptions, random: () => number): RoomSeed[] {
  const rooms: RoomSeed[] = [];
  const channels = Math.round(o.rooms * 0.4);
  const privates = Math.round(o.rooms * 0.15);
  const pick = () => Math.floor(random() * o.users);
  const withMembers = (size: number, first: number[] = []) => {
    const set = new Set(first);
    while (set.size < Math.min(size, o.users)) set.add(pick());
    return [...set];
  };
  const maxChannel = Math.max(5, Math.min(1000, o.users));
  for (let i = 0; i < o.rooms; i++) {
    if (i < channels) rooms.push({ id: randomUUID(), kind: 'channel', name: `channel-${i}`, members: withMembers(Math.round(Math.exp(Math.log(5) + random() * Math.log(maxChannel / 5)))) });
    else if (i < channels + privates) rooms.push({ id: randomUUID(), kind: 'private', name: `private-${i}`, members: withMembers(3 + Math.floor(random() * 28)) });
    else {
      const a = pick();
      let b = pick();
      if (b === a) b = (a + 1) % o.users;
      rooms.push({ id: randomUUID(), kind: 'dm', name: '', members: [a, b] });
    }
  }
  // The heavy users join channels and private rooms until each is in `heavyRooms` (or all of them).
  const groupRooms = rooms.filter((r) => r.kind !== 'dm');
  for (let u = 0; u < Math.min(o.heavyUsers, o.users); u++) {
    let count = rooms.filter((r) => r.members.includes(u)).length;
    for (let k = 0; count < o.heavyRooms && k < groupRooms.length; k++) {
      const room = groupRooms[(u * 7919 + k) % groupRooms.length]!;
      if (!room.members.includes(u)) {
        room.members.push(u);
        count++;
      }
    }
  }
  return rooms;
}

const rate = (rows: number, ms: number) => Math.round(rows / Math.max(0.001, ms / 1000));

/**
 * Seeds an empty, migrated database. Refuses one that has users: ids and event order are laid out
 * from 1, so they cannot be merged into existing data.
 */
export async function seedYears(databaseUrl: string, o: YearsOptions, log: Log): Promise<{ events: number; members: number }> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const q = (sql: string, params?: unknown[]) => db.query(sql, params);
  try {
    const existing = await q('select (select count(*) from users)::int as users, (select count(*) from messages)::int as messages');
    if (existing.rows[0].users > 0 || existing.rows[0].messages > 0) throw new Error('the database already has users or messages: seed an empty, migrated database');
    await q(`set maintenance_work_mem = '1GB'`);
    await q('set synchronous_commit = off');
    const random = seededRandom(163);
    const start = Date.now() - o.days * 86_400_000;
    const t0 = Date.now();

    // Users, a day before the first room.
    const userIds = Array.from({ length: o.users }, () => randomUUID());
    const names = userIds.map((_, i) => yearsUsername(i));
    await inBatches(
      userIds.map((id, i) => [id, names[i]!, usernameSkeleton(names[i]!)] as const),
      (b) =>
        q(
          `insert into users (id, username, username_skeleton, password_hash, created_at)
           select id, name, skeleton, $4, to_timestamp($5::float8 / 1000) from unnest($1::uuid[], $2::text[], $3::text[]) as t(id, name, skeleton)`,
          [b.map((r) => r[0]), b.map((r) => r[1]), b.map((r) => r[2]), PASSWORD_HASH, start - 86_400_000],
        ),
    );
    log(`users: ${o.users} in ${Date.now() - t0} ms`);

    // Rooms; #everyone (made by the migration) is room 0 of the plan, with every user.
    const planned = planRooms(o, random);
    const rooms: RoomSeed[] = [{ id: EVERYONE_ROOM_ID, kind: 'channel', name: 'everyone', members: userIds.map((_, i) => i) }, ...planned];
    await inBatches(planned, (b) =>
      q(
        `insert into rooms (id, kind, name, name_key, name_skeleton, created_by_id, created_at, dm_key, member_count)
         select id, kind, name, case when kind = 'channel' then lower(name) end, skeleton, creator, to_timestamp($7::float8 / 1000), dm_key, 0
           from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::text[]) as t(id, kind, name, skeleton, creator, dm_key)`,
        [
          b.map((r) => r.id),
          b.map((r) => r.kind),
          b.map((r) => r.name),
          b.map((r) => (r.kind === 'channel' ? usernameSkeleton(r.name) : null)),
          b.map((r) => (r.kind === 'dm' ? null : userIds[r.members[0]!])),
          b.map((r) => (r.kind === 'dm' ? [userIds[r.members[0]!]!, userIds[r.members[1]!]!].sort().join(':') : null)),
          start - 3_600_000,
        ],
      ),
    );
    await q('update rooms set created_at = to_timestamp($1::float8 / 1000) where id = $2', [start - 3_600_000, EVERYONE_ROOM_ID]);

    // Members, numbered: the seq-th membership's room.joined event has id seq, before every message.
    await q('create temp table seed_members (seq bigint primary key, room_idx int not null, k int not null, room_id uuid not null, user_id uuid not null)');
    await q('create temp table seed_rooms (idx int primary key, room_id uuid not null, size int not null)');
    const memberRows: [number, number, number, string, string][] = [];
    rooms.forEach((r, idx) => r.members.forEach((u, k) => memberRows.push([memberRows.length + 1, idx, k, r.id, userIds[u]!])));
    await inBatches(memberRows, (b) =>
      q('insert into seed_members select * from unnest($1::bigint[], $2::int[], $3::int[], $4::uuid[], $5::uuid[])', [
        b.map((r) => r[0]),
        b.map((r) => r[1]),
        b.map((r) => r[2]),
        b.map((r) => r[3]),
        b.map((r) => r[4]),
      ]),
    );
    await inBatches(
      rooms.map((r, idx) => [idx, r.id, r.members.length] as const),
      (b) => q('insert into seed_rooms select * from unnest($1::int[], $2::uuid[], $3::int[])', [b.map((r) => r[0]), b.map((r) => r[1]), b.map((r) => r[2])]),
    );
    await q('create index on seed_members (room_idx, k)');
    await q('analyze seed_members; analyze seed_rooms');
    const members = memberRows.length;
    log(`rooms: ${rooms.length} (with #everyone), memberships: ${members} in ${Date.now() - t0} ms`);

    // Sentences to draw message text from.
    const vocab = vocabulary();
    await q('create temp table seed_sentences (k int primary key, text text not null)');
    await inBatches(
      vocab.sentences.map((s, k) => [k, s] as const),
      (b) => q('insert into seed_sentences select * from unnest($1::int[], $2::text[])', [b.map((r) => r[0]), b.map((r) => r[1])]),
    );

    // Secondary indexes and foreign keys of the two big tables go during the load and come back
    // after, from their own definitions: one sorted build instead of 10 million inserts into each.
    const dropped = await q(`
      select 'index' as what, i.indrelid::regclass::text as tbl, c.relname as name, pg_get_indexdef(c.oid) as def from pg_index i join pg_class c on c.oid = i.indexrelid
        where i.indrelid in ('messages'::regclass, 'events'::regclass) and not i.indisprimary and not exists (select 1 from pg_constraint k where k.conindid = c.oid)
      union all
      select 'constraint', k.conrelid::regclass::text, k.conname, 'alter table ' || k.conrelid::regclass || ' add constraint ' || quote_ident(k.conname) || ' ' || pg_get_constraintdef(k.oid)
        from pg_constraint k where k.conrelid in ('messages'::regclass, 'events'::regclass) and k.contype in ('f', 'u')`);
    const rebuild = dropped.rows as { what: string; tbl: string; name: string; def: string }[];
    for (const r of rebuild) await q(r.what === 'index' ? `drop index ${r.name}` : `alter table ${r.tbl} drop constraint ${r.name}`);

    // Messages, oldest first: id n at start + n/N of the span. A share in #everyone (room 0), the
    // rest log-uniform over the rooms (a few busy rooms, a long quiet tail); each by a member.
    const spanMs = o.days * 86_400_000;
    const eventBase = members;
    const chunk = 250_000;
    const tMessages = Date.now();
    for (let lo = 1; lo <= o.messages; lo += chunk) {
      const hi = Math.min(o.messages, lo + chunk - 1);
      await q('begin');
      await q(
        `insert into messages (id, author_id, room_id, text, created_at)
         select g.n, sm.user_id, sr.room_id, ss.text, to_timestamp(($3::float8 + g.n * $4::float8) / 1000)
           from (select n, room_idx, floor(random() * sr0.size)::int as k
                   from (select n, case when random() < $5 then 0 else least($6::int - 1, floor(exp(random() * $8::float8))::int) end as room_idx
                           from generate_series($1::bigint, $2::bigint) n) x
                   join seed_rooms sr0 on sr0.idx = x.room_idx) g
           join seed_rooms sr on sr.idx = g.room_idx
           join seed_members sm on sm.room_idx = g.room_idx and sm.k = g.k
           join seed_sentences ss on ss.k = (g.n * 7919) % $7
          order by g.n`,
        [lo, hi, start, spanMs / o.messages, o.everyoneShare, rooms.length, vocab.sentences.length, Math.log(rooms.length)],
      );
      await q(
        `insert into events (id, type, room_id, user_id, message_id, created_at)
         select $3 + id, 'message.created', room_id, author_id, id, created_at from messages where id between $1 and $2 order by id`,
        [lo, hi, eventBase],
      );
      await q('commit');
      const done = hi;
      const elapsed = Date.now() - tMessages;
      const perSec = rate(done, elapsed);
      log(`messages: ${done}/${o.messages} (${perSec} rows/s, ETA ${Math.round((o.messages - done) / Math.max(1, perSec))} s)`);
    }

    // Memberships with their room.joined events (a payload as the server writes it), read marks
    // from fully read to far behind, and member counts.
    await q(`create temp table seed_room_stats as select room_id, min(id) as lo, max(id) as hi from messages group by room_id`);
    await q(
      `insert into events (id, type, room_id, user_id, actor_id, payload, created_at)
       select sm.seq, 'room.joined', sm.room_id, sm.user_id, null,
              jsonb_build_object('room', jsonb_build_object('id', r.id, 'kind', r.kind, 'name', r.name, 'topic', r.topic, 'createdBy', r.created_by_id,
                                   'createdAt', to_char(r.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'memberCount', sr.size,
                                   'dmMembers', null, 'groupMembers', null),
                                 'user', jsonb_build_object('id', u.id, 'username', u.username), 'by', null, 'lastMessageId', null, 'lastMessageAt', null),
              r.created_at + sm.seq * interval '1 microsecond'
         from seed_members sm join rooms r on r.id = sm.room_id join users u on u.id = sm.user_id join seed_rooms sr on sr.idx = sm.room_idx
        order by sm.seq`,
    );
    await q(
      `insert into room_members (room_id, user_id, joined_event_id, joined_at, last_read_message_id)
       select sm.room_id, sm.user_id, sm.seq, e.created_at,
              case when st.hi is null then null
                   when random() < 0.6 then st.hi
                   else st.hi - floor(power(random(), 3) * (st.hi - st.lo))::bigint end
         from seed_members sm join events e on e.id = sm.seq left join seed_room_stats st on st.room_id = sm.room_id
        order by sm.seq`,
    );
    await q('update rooms r set member_count = sr.size from seed_rooms sr where sr.room_id = r.id');
    await q(`select setval('messages_id_seq', greatest(1, (select max(id) from messages)))`);
    await q(`select setval('events_id_seq', greatest(1, (select max(id) from events)))`);
    await q(`select setval('room_members_id_seq', greatest(1, (select max(id) from room_members)))`);
    log(`memberships and read marks in ${Date.now() - t0} ms`);

    for (const r of rebuild) {
      const t = Date.now();
      await q(r.def);
      log(`rebuilt ${r.name} in ${Math.round((Date.now() - t) / 1000)} s`);
    }
    for (const table of ['users', 'rooms', 'room_members', 'messages', 'events']) await q(`vacuum (analyze) ${table}`);
    log(`seeded ${o.messages} messages, ${eventBase + o.messages} events in ${Math.round((Date.now() - t0) / 1000)} s`);
    return { events: eventBase + o.messages, members };
  } finally {
    await db.end();
  }
}
