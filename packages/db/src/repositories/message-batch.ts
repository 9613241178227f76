import { APPEND_LOCK_KEY } from '../append-lock';
import type { MessageRecord } from '../records';
import type { Exec } from './locked';
import { EVERYONE_ROOM_ID } from './room.repository';

/** One plain send (no reply, mention or attachment): what `MessageRepository.append` takes. */
export interface PlainAppend {
  authorId: string;
  roomId?: string;
  text: string;
  clientMessageId: string | null;
}

/**
 * A row of the batch as the statement answers it: `inserted` (with the message's and its event's
 * ids), `conflict` (the same author, room and clientMessageId is stored already, maybe by an
 * earlier row of the same batch) or `refused` (not a member, or muted, when the lock was held).
 */
export type BatchRow =
  | { kind: 'inserted'; message: MessageRecord; eventId: string }
  | { kind: 'conflict' }
  | { kind: 'refused' };

interface Row {
  ord: string;
  allowed: boolean;
  id: string | null;
  created_ms: number | null;
  event_id: string | null;
  username: string | null;
  avatar_key: string | null;
  display_name: string | null;
}

/**
 * A PostgreSQL array literal of `values`: MikroORM inlines parameters, and it would spread a JS array
 * into a list, so the arrays travel as one quoted string each (array_in's own escaping: `\` and `"`).
 */
export function arrayLiteral(values: readonly (string | null)[]): string {
  return `{${values.map((v) => (v === null ? 'NULL' : `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`)).join(',')}}`;
}

/**
 * The plain sends in ONE statement, so ONE lock hold and ONE commit (group commit; decision 162).
 * Row by row it applies the rules of `append`: a member of the room now (no row needed in #everyone)
 * and not muted, `on conflict do nothing` for a retried clientMessageId (a repeat inside the batch
 * included). Ids are taken in the batch's order, after the lock, with clock_timestamp() beside them,
 * so ids, times and commit order agree as with single appends. Answers one row per input, in order.
 */
export async function appendBatch(exec: Exec, rows: readonly PlainAppend[]): Promise<BatchRow[]> {
  const rooms = rows.map((r) => r.roomId ?? EVERYONE_ROOM_ID);
  const found = await exec<Row[]>(
    `with lock as materialized (select pg_advisory_xact_lock(?)),
     input as materialized (
       select t.* from lock, unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[]) with ordinality as t(author_id, room_id, text, cmid, ord)
     ),
     allowed as materialized (
       select i.* from input i
        where (i.room_id = ?::uuid or exists (
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
      order by i.ord`,
    [
      APPEND_LOCK_KEY,
      arrayLiteral(rows.map((r) => r.authorId)),
      arrayLiteral(rooms),
      arrayLiteral(rows.map((r) => r.text)),
      arrayLiteral(rows.map((r) => r.clientMessageId)),
      EVERYONE_ROOM_ID,
    ],
  );
  if (found.length !== rows.length) throw new Error(`append batch answered ${found.length} rows for ${rows.length}`);
  return found.map((row, i): BatchRow => {
    const input = rows[i]!;
    if (!row.allowed) return { kind: 'refused' };
    if (row.id === null || row.event_id === null) return { kind: 'conflict' };
    return {
      kind: 'inserted',
      eventId: row.event_id,
      message: {
        id: row.id,
        text: input.text,
        createdAt: new Date(Math.floor(row.created_ms!)),
        clientMessageId: input.clientMessageId,
        author: { id: input.authorId, username: row.username!, avatar: row.avatar_key, displayName: row.display_name },
      },
    };
  });
}
