import { EntityRepository } from '@mikro-orm/postgresql';
import type { Message } from '../entities/message.entity';
import type { MessageRecord } from '../records';

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

/**
 * Every append takes this transaction-scoped advisory lock, so ids are handed out in commit
 * order: a reader that has seen id N can never later find a smaller id committing behind it.
 */
const APPEND_LOCK_KEY = 4_242_001;

export class MessageRepository extends EntityRepository<Message> {
  /**
   * Stores a message, or returns the one already stored under the same (author, clientMessageId),
   * which makes client retries idempotent. `created` tells which happened.
   */
  async append(input: { authorId: string; text: string; clientMessageId: string | null }): Promise<{
    message: MessageRecord;
    created: boolean;
  }> {
    const em = this.getEntityManager();
    // One statement, so one round trip: on its own it is a transaction, which holds the lock
    // from before the row takes its id (the insert reads its row from `lock`) until the commit.
    const inserted = await em.execute<MessageRow[]>(
      `with lock as materialized (select pg_advisory_xact_lock(?)),
       ins as (
         insert into messages (author_id, text, client_message_id, created_at)
         select ?, ?, ?, now() from lock
         on conflict (author_id, client_message_id) do nothing
         returning *
       )
       select ins.id, ins.text, extract(epoch from ins.created_at)::float8 * 1000 as created_ms, ins.client_message_id, ins.author_id, u.username as author_username
         from ins join users u on u.id = ins.author_id`,
      [APPEND_LOCK_KEY, input.authorId, input.text, input.clientMessageId],
    );
    if (inserted[0]) return { message: toRecord(inserted[0]), created: true };
    const existing = await em.execute<MessageRow[]>(`${SELECT_WITH_AUTHOR} where m.author_id = ? and m.client_message_id = ?`, [input.authorId, input.clientMessageId]);
    if (!existing[0]) throw new Error('message insert conflicted but no existing row was found');
    return { message: toRecord(existing[0]), created: false };
  }

  /** The `limit` messages just before `before` (or the newest), oldest first. */
  async pageBefore(before: string | null, limit: number): Promise<{ messages: MessageRecord[]; hasOlder: boolean }> {
    const rows = await this.getEntityManager().execute<MessageRow[]>(
      `${SELECT_WITH_AUTHOR} ${before === null ? '' : 'where m.id < ?'} order by m.id desc limit ?`,
      before === null ? [limit + 1] : [before, limit + 1],
    );
    const hasOlder = rows.length > limit;
    return { messages: rows.slice(0, limit).reverse().map(toRecord), hasOlder };
  }

  async maxId(): Promise<string | null> {
    const rows = await this.getEntityManager().execute<{ max: string | null }[]>('select max(id)::text as max from messages');
    return rows[0]?.max ?? null;
  }

  /** Messages with an id greater than `after`, oldest first: the backlog of a resuming reader. */
  async listAfter(after: string, limit: number): Promise<MessageRecord[]> {
    const rows = await this.getEntityManager().execute<MessageRow[]>(`${SELECT_WITH_AUTHOR} where m.id > ? order by m.id asc limit ?`, [
      after,
      limit,
    ]);
    return rows.map(toRecord);
  }
}
