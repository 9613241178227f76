-- (a) Today's plain send (message.repository.ts `append`), one row under the deployment-wide lock.
\set u random(1, 1000)
\set c random(1, 2000000000)
with p as materialized (
  select ('00000000-0000-4000-8000-' || lpad(:u::text, 12, '0'))::uuid as author,
         ('00000000-0000-4000-9000-' || lpad((:u % 100)::text, 12, '0'))::uuid as room,
         'pgbench message ' || :c as text, :c::text as cmid
),
lock as materialized (select pg_advisory_xact_lock(4242001)),
allowed as materialized (
  select 1 from lock, p where (p.room = '00000000-0000-4000-8000-000000000001'::uuid or exists (
    select 1 from room_members where room_id = p.room and user_id = p.author and left_event_id is null))
    and not exists (select 1 from users where id = p.author and muted_until > clock_timestamp())
),
ins as (
  insert into messages (author_id, room_id, text, client_message_id, created_at)
  select p.author, p.room, p.text, p.cmid, clock_timestamp() from allowed, p
  on conflict (author_id, room_id, client_message_id) do nothing
  returning *
),
ev as (
  insert into events (type, room_id, user_id, message_id, created_at)
  select 'message.created', ins.room_id, ins.author_id, ins.id, ins.created_at from ins
  returning id, message_id
)
select a.allowed, ins.id, ins.text, extract(epoch from ins.created_at)::float8 * 1000 as created_ms, ins.client_message_id,
       ins.author_id, u.username, u.avatar_key, u.display_name, ev.id::text as event_id
  from (select count(*)::int as allowed from allowed) a
  left join (ins join users u on u.id = ins.author_id join ev on ev.message_id = ins.id) on true;
