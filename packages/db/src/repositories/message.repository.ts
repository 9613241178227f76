import { EntityRepository } from '@mikro-orm/postgresql';
import type { Message } from '../entities/message.entity';
import { APPEND_LOCK_KEY } from '../append-lock';
import type { MessageRecord } from '../records';
import { EVERYONE_ROOM_ID } from './room.repository';

interface MessageRow {
  id: string;
  text: string;
  created_ms: number;
  client_message_id: string | null;
  author_id: string;
  author_username: string;
}

const toRecord = (r: MessageRow): MessageRecord => ({
  id: r.id,
  text: r.text,
  createdAt: new Date(Math.floor(r.created_ms)),
  clientMessageId: r.client_message_id,
  author: { id: r.author_id, username: r.author_username },
});

const SELECT_WITH_AUTHOR = `select m.id, m.text, extract(epoch from m.created_at)::float8 * 1000 as created_ms, m.client_message_id, m.author_id, u.username as author_username
  from messages m join users u on u.id = m.author_id`;

export class MessageRepository extends EntityRepository<Message> {
  /**
   * Stores a message in `roomId` with its message.created event, or returns the one already stored
   * under the same (author, room, clientMessageId), which makes client retries idempotent. The
   * author must be a member of the room at the moment the lock is held, and not muted: `refused` otherwise.
   */
  async append(input: { authorId: string; roomId?: string; text: string; clientMessageId: string | null }): Promise<
    { message: MessageRecord; created: boolean; eventId: string | null; refused: false } | { refused: true }
  > {
    const em = this.getEntityManager();
    const roomId = input.roomId ?? EVERYONE_ROOM_ID;
    // One statement, so one round trip: on its own it is a transaction, which holds the lock
    // from before the rows take their ids (the inserts read from `lock`) until the commit.
    // #everyone needs no membership check: every account is a member and nobody leaves it.
    // clock_timestamp(), read after the lock, not now() (the statement's start): times then grow
    // with ids, so "newest message" means the same by id and by time (room.list's lastActivityAt).
    const inserted = await em.execute<(MessageRow & { allowed: number; event_id: string | null })[]>(
      `with lock as materialized (select pg_advisory_xact_lock(?)),
       allowed as materialized (
         select 1 from lock where (?::uuid = ?::uuid or exists (
           select 1 from room_members where room_id = ? and user_id = ? and left_event_id is null))
           -- A muted author sends nothing (docs/decisions/113-bans-and-mutes.md).
           and not exists (select 1 from users where id = ? and muted_until > clock_timestamp())
       ),
       ins as (
         insert into messages (author_id, room_id, text, client_message_id, created_at)
         select ?, ?, ?, ?, clock_timestamp() from allowed
         on conflict (author_id, room_id, client_message_id) do nothing
         returning *
       ),
       ev as (
         insert into events (type, room_id, user_id, message_id, created_at)
         select 'message.created', ins.room_id, ins.author_id, ins.id, ins.created_at from ins
         returning id, message_id
       )
       select a.allowed, ins.id, ins.text, extract(epoch from ins.created_at)::float8 * 1000 as created_ms, ins.client_message_id,
              ins.author_id, u.username as author_username, ev.id::text as event_id
         from (select count(*)::int as allowed from allowed) a
         left join (ins join users u on u.id = ins.author_id join ev on ev.message_id = ins.id) on true`,
      [
        APPEND_LOCK_KEY,
        roomId,
        EVERYONE_ROOM_ID,
        roomId,
        input.authorId,
        input.authorId,
        input.authorId,
        roomId,
        input.text,
        input.clientMessageId,
      ],
    );
    const row = inserted[0];
    if (!row || row.allowed === 0) return { refused: true };
    if (row.id) return { message: toRecord(row), created: true, eventId: row.event_id, refused: false };
    const existing = await em.execute<MessageRow[]>(`${SELECT_WITH_AUTHOR} where m.author_id = ? and m.room_id = ? and m.client_message_id = ?`, [
      input.authorId,
      roomId,
      input.clientMessageId,
    ]);
    if (!existing[0]) throw new Error('message insert conflicted but no existing row was found');
    return { message: toRecord(existing[0]), created: false, eventId: null, refused: false };
  }

  /** The `limit` messages just before `before` (or the newest), oldest first. */
  async pageBefore(before: string | null, limit: number, roomId: string = EVERYONE_ROOM_ID): Promise<{ messages: MessageRecord[]; hasOlder: boolean }> {
    const rows = await this.getEntityManager().execute<MessageRow[]>(
      `${SELECT_WITH_AUTHOR} where m.room_id = ? ${before === null ? '' : 'and m.id < ?'} order by m.id desc limit ?`,
      before === null ? [roomId, limit + 1] : [roomId, before, limit + 1],
    );
    const hasOlder = rows.length > limit;
    return { messages: rows.slice(0, limit).reverse().map(toRecord), hasOlder };
  }

  async maxId(roomId: string = EVERYONE_ROOM_ID): Promise<string | null> {
    const rows = await this.getEntityManager().execute<{ max: string | null }[]>('select max(id)::text as max from messages where room_id = ?', [roomId]);
    return rows[0]?.max ?? null;
  }

  /** Messages with an id greater than `after`, oldest first: the backlog of a resuming reader. */
  async listAfter(after: string, limit: number, roomId: string = EVERYONE_ROOM_ID): Promise<MessageRecord[]> {
    const rows = await this.getEntityManager().execute<MessageRow[]>(`${SELECT_WITH_AUTHOR} where m.room_id = ? and m.id > ? order by m.id asc limit ?`, [
      roomId,
      after,
      limit,
    ]);
    return rows.map(toRecord);
  }
}
