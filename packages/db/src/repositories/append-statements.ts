/**
 * The plain-send statements (decisions 002 and 162) as templates over their inputs, so that one text
 * serves two callers: the repository renders each input as a `?` parameter, and the pgbench scripts
 * (`pgbench-scripts.ts`) render it as a pgbench expression. The benchmark then measures the statement
 * the server sends, whatever it becomes.
 */

/** Renders one use of a statement's input as SQL: a parameter (`?`) or an expression. */
export type Slot<Input extends string> = (input: Input) => string;

/** A statement with a `?` for each use of an input, and the parameters for given values, in the `?`s' order. */
export interface Positional<Input extends string> {
  sql: string;
  params(values: Readonly<Record<Input, unknown>>): unknown[];
}

/** Renders `render` once with a `?` per use (a template literal evaluates its substitutions left to right). */
export function positional<Input extends string>(render: (v: Slot<Input>) => string): Positional<Input> {
  const order: Input[] = [];
  const sql = render((input) => {
    order.push(input);
    return '?';
  });
  return { sql, params: (values) => order.map((input) => values[input]) };
}

export type AppendInput = 'lockKey' | 'roomId' | 'everyoneRoomId' | 'authorId' | 'text' | 'clientMessageId';

/**
 * One plain send (`MessageRepository.append`). One statement, so one round trip: on its own it is a
 * transaction, which holds the lock from before the rows take their ids (the inserts read from `lock`)
 * until the commit. #everyone needs no membership check: every account is a member and nobody leaves it.
 * clock_timestamp(), read after the lock, not now() (the statement's start): times then grow with ids,
 * so "newest message" means the same by id and by time (room.list's lastActivityAt).
 */
export const renderAppend = (v: Slot<AppendInput>) =>
  `with lock as materialized (select pg_advisory_xact_lock(${v('lockKey')})),
   allowed as materialized (
     select 1 from lock where (${v('roomId')}::uuid = ${v('everyoneRoomId')}::uuid or exists (
       select 1 from room_members where room_id = ${v('roomId')} and user_id = ${v('authorId')} and left_event_id is null))
       -- A muted author sends nothing (docs/decisions/113-bans-and-mutes.md).
       and not exists (select 1 from users where id = ${v('authorId')} and muted_until > clock_timestamp())
   ),
   ins as (
     insert into messages (author_id, room_id, text, client_message_id, created_at)
     select ${v('authorId')}, ${v('roomId')}, ${v('text')}, ${v('clientMessageId')}, clock_timestamp() from allowed
     on conflict (author_id, room_id, client_message_id) do nothing
     returning *
   ),
   ev as (
     insert into events (type, room_id, user_id, message_id, created_at)
     select 'message.created', ins.room_id, ins.author_id, ins.id, ins.created_at from ins
     returning id, message_id
   )
   select a.allowed, ins.id, ins.text, extract(epoch from ins.created_at)::float8 * 1000 as created_ms, ins.client_message_id,
          ins.author_id, u.username as author_username, u.avatar_key as author_avatar, u.display_name as author_display_name, ev.id::text as event_id
     from (select count(*)::int as allowed from allowed) a
     left join (ins join users u on u.id = ins.author_id join ev on ev.message_id = ins.id) on true`;

/** The batch's four arrays, one element per send, and #everyone's id. */
export type AppendBatchInput = 'lockKey' | 'authorIds' | 'roomIds' | 'texts' | 'clientMessageIds' | 'everyoneRoomId';

/**
 * Many plain sends in one statement (`appendBatch`, decision 162): the rules of `renderAppend` row by
 * row, ids taken in the batch's order after the lock, one answer row per input in order.
 */
export const renderAppendBatch = (v: Slot<AppendBatchInput>) =>
  `with lock as materialized (select pg_advisory_xact_lock(${v('lockKey')})),
   input as materialized (
     select t.* from lock, unnest(${v('authorIds')}::uuid[], ${v('roomIds')}::uuid[], ${v('texts')}::text[], ${v('clientMessageIds')}::text[]) with ordinality as t(author_id, room_id, text, cmid, ord)
   ),
   allowed as materialized (
     select i.* from input i
      where (i.room_id = ${v('everyoneRoomId')}::uuid or exists (
        select 1 from room_members rm where rm.room_id = i.room_id and rm.user_id = i.author_id and rm.left_event_id is null))
        -- A muted author sends nothing (docs/decisions/113-bans-and-mutes.md).
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
   select i.ord::text as ord, n.id is not null as allowed, ins.id::text as id, extract(epoch from ins.created_at)::float8 * 1000 as created_ms,
          ev.id::text as event_id, u.username, u.avatar_key, u.display_name
     from input i
     left join numbered n on n.ord = i.ord
     left join ins on ins.id = n.id
     left join ev on ev.message_id = ins.id
     left join users u on u.id = ins.author_id
    order by i.ord`;
