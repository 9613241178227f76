-- Scratch data for the append scripts: 1,000 users, 100 rooms, user n a member of room n % 100.
-- Run on a database the migrations made (DATABASE_URL=… pnpm db:migrate); ids are n padded into a uuid.
insert into users (id, username, password_hash, created_at)
select ('00000000-0000-4000-8000-' || lpad(n::text, 12, '0'))::uuid, 'pgb' || n, 'x', now()
  from generate_series(1, 1000) n on conflict do nothing;
insert into rooms (id, kind, name, created_at, member_count, is_group)
select ('00000000-0000-4000-9000-' || lpad(r::text, 12, '0'))::uuid, 'channel', 'pgb' || r, now(), 10, false
  from generate_series(0, 99) r on conflict do nothing;
insert into room_members (room_id, user_id, joined_event_id, joined_at)
select ('00000000-0000-4000-9000-' || lpad((n % 100)::text, 12, '0'))::uuid,
       ('00000000-0000-4000-8000-' || lpad(n::text, 12, '0'))::uuid, 0, now()
  from generate_series(1, 1000) n on conflict do nothing;
