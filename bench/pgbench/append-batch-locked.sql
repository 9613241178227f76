-- (c) Group commit: :n plain sends in one statement under the lock (message.repository.ts `appendBatch`).
-- Run with -D n=4 (16, 64). Each row is a different user's message in that user's room.
\set u random(1, 1000)
\set c random(1, 2000000000)
with p as materialized (
  select array_agg(('00000000-0000-4000-8000-' || lpad((1 + (:u + k) % 1000)::text, 12, '0'))::uuid order by k) as authors,
         array_agg(('00000000-0000-4000-9000-' || lpad(((1 + (:u + k) % 1000) % 100)::text, 12, '0'))::uuid order by k) as rooms,
         array_agg('pgbench message ' || :c || '.' || k order by k) as texts,
         array_agg(:c || '.' || k order by k) as cmids
    from generate_series(1, :n) k
),
lock as materialized (select pg_advisory_xact_lock(4242001)),
input as materialized (
  select t.* from lock, p, unnest(p.authors, p.rooms, p.texts, p.cmids) with ordinality as t(author_id, room_id, text, cmid, ord)
),
allowed as materialized (
  select i.* from input i
   where (i.room_id = '00000000-0000-4000-8000-000000000001'::uuid or exists (
     select 1 from room_members rm where rm.room_id = i.room_id and rm.user_id = i.author_id and rm.left_event_id is null))
     and not exists (select 1 from users u where u.id = i.author_id and u.muted_until > clock_timestamp())
),
numbered as materialized (
  select a.*, nextval('messages_id_seq') as id, clock_timestamp() as created_at from (select * from allowed order by ord) a
),
ins as (
  insert into messages (id, author_id, room_id, text, client_message_id, created_at)
  select id, author_id, room_id, text, cmid, created_at from numbered order by id
  on conflict (author_id, room_id, client_message_id) do nothing
  returning id, room_id, author_id, created_at
),
ev as (
  insert into events (type, room_id, user_id, message_id, created_at)
  select 'message.created', ins.room_id, ins.author_id, ins.id, ins.created_at from ins order by ins.id
  returning id, message_id
)
select i.ord, n.id is not null as allowed, ins.id::text as id, extract(epoch from ins.created_at)::float8 * 1000 as created_ms,
       u.username, u.avatar_key, u.display_name, ev.id::text as event_id
  from input i
  left join numbered n on n.ord = i.ord
  left join ins on ins.id = n.id
  left join ev on ev.message_id = ins.id
  left join users u on u.id = ins.author_id
 order by i.ord;
