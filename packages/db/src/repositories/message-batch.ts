import { APPEND_LOCK_KEY } from '../append-lock';
import type { MessageRecord } from '../records';
import { positional, renderAppendBatch } from './append-statements';
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

/** The batch's statement, shared with the pgbench scripts (pgbench-scripts.ts). */
const APPEND_BATCH = positional(renderAppendBatch);

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
    APPEND_BATCH.sql,
    APPEND_BATCH.params({
      lockKey: APPEND_LOCK_KEY,
      authorIds: arrayLiteral(rows.map((r) => r.authorId)),
      roomIds: arrayLiteral(rooms),
      texts: arrayLiteral(rows.map((r) => r.text)),
      clientMessageIds: arrayLiteral(rows.map((r) => r.clientMessageId)),
      everyoneRoomId: EVERYONE_ROOM_ID,
    }),
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
