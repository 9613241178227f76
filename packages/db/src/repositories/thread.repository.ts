import { EntityRepository } from '@mikro-orm/postgresql';
import type { ThreadFollow } from '../entities/thread-follow.entity';
import type { EventRecord, MessageRecord, ThreadListRecord } from '../records';
import { appendEvent, type Exec, execOn, lockedTransaction, transactionLockingLater } from './locked';
import { insertMentions, mentionEvents } from './mentions';
import type { MentionName } from './message.repository';
import { REACTIONS_COLUMN, REPLIERS, STATE_JOINS, stateColumns, toMessageState } from './message-state';
import { memberNow } from './reader-access';
import { EVERYONE_ROOM_ID, UNREAD_CAP } from './room.repository';

// Threads (docs/decisions/145-threads.md): replies are messages with a root; this file holds the
// thread rules' queries: the reply with its counters and follows, history, follows and read marks.

/** The `?` user may read messages of `m`'s room now (#everyone: every account). */
const MEMBER_OF_ROOM = `(m.room_id = '${EVERYONE_ROOM_ID}' or ${memberNow('m.room_id')})`;

/** Follower row `tf`'s unread replies and unread mentions in its thread (capped like rooms'). */
const THREAD_COUNTS = `(select count(*)::int from (select 1 from messages x where x.thread_root_id = tf.root_id and x.id > coalesce(tf.last_read_message_id, 0)
      and x.author_id <> tf.user_id limit ${UNREAD_CAP}) c) as unread,
    (select count(*)::int from (select 1 from message_mentions mm join messages x on x.id = mm.message_id
      where mm.user_id = tf.user_id and x.thread_root_id = tf.root_id and x.id > coalesce(tf.last_read_message_id, 0)
        and x.author_id <> tf.user_id and x.deleted_at is null limit ${UNREAD_CAP}) c) as mentions,
    (select max(x.id)::text from messages x where x.thread_root_id = tf.root_id) as last_reply`;

export type ThreadReplyResult =
  | { refused: false; message: MessageRecord & { roomId: string }; created: boolean; events: EventRecord[] }
  | { refused: true; reason: 'not-found' | 'not-member' | 'muted' | 'not-a-root' | 'root-deleted' | 'quote-elsewhere' | 'quote-deleted' };

/** A thread.read event for `userId` in `rootId`'s thread: their follow, read mark and counts right now (inside the lock). */
export async function threadReadEvent(exec: Exec, roomId: string, rootId: string, userId: string): Promise<EventRecord | null> {
  const rows = await exec<{ following: boolean; last_read: string | null; unread: number; mentions: number; last_reply: string | null }[]>(
    `select tf.following, tf.last_read_message_id::text as last_read, ${THREAD_COUNTS} from thread_follows tf where tf.root_id = ? and tf.user_id = ?`,
    [rootId, userId],
  );
  const r = rows[0];
  if (!r) return null;
  return appendEvent(exec, {
    type: 'thread.read',
    roomId,
    userId,
    messageId: rootId,
    payload: { following: r.following, lastReadMessageId: r.last_read, unread: r.unread, mentions: r.mentions, lastReplyId: r.last_reply },
  });
}

/** thread.read for each of `userIds` who has a row in the thread (a reply's edit or delete changed the mentions they count). */
export async function threadMentionEvents(exec: Exec, roomId: string, rootId: string, authorId: string, userIds: string[]): Promise<EventRecord[]> {
  const events: EventRecord[] = [];
  for (const id of [...new Set(userIds)].filter((u) => u !== authorId).sort()) {
    const event = await threadReadEvent(exec, roomId, rootId, id);
    if (event) events.push(event);
  }
  return events;
}

export class ThreadRepository extends EntityRepository<ThreadFollow> {
  private get exec(): Exec {
    return execOn(this.getEntityManager());
  }

  /**
   * Stores a reply in `rootId`'s thread under the append lock: the author must be a member of the
   * root's room and not muted; the root must be a message of the room (not itself a reply) and not
   * deleted unless its thread already has replies. Bumps the root's counters, signs up the root's
   * author (once), the replier and those named as followers, and writes the reply's event
   * (message.created when also sent to the room, thread.replied otherwise), thread.updated, and
   * thread.read for each follower whose state it changed. A retried clientMessageId returns the
   * stored reply.
   */
  async reply(input: {
    authorId: string;
    rootId: string;
    text: string;
    clientMessageId: string | null;
    alsoToRoom: boolean;
    /** A message of this thread (the root or a reply) the reply quotes. */
    replyTo?: string | null;
    mentionNames: MentionName[];
  }): Promise<ThreadReplyResult> {
    const outcome = await transactionLockingLater(this.getEntityManager(), async (exec, lock): Promise<ThreadReplyResult | { stored: string; roomId: string; events: EventRecord[] }> => {
      // The checks read without the lock, so a storm of replies queues on it only for the writes
      // (an answered retry never takes it). Membership and the mute are checked again by the
      // insert itself, under the lock: someone removed meanwhile posts nothing after their removal.
      const roots = await exec<{ room_id: string; author_id: string; thread_root_id: string | null; deleted: boolean; replies: number }[]>(
        `select m.room_id, m.author_id, m.thread_root_id::text as thread_root_id, m.deleted_at is not null as deleted, m.thread_reply_count as replies
           from messages m where m.id = ? and ${MEMBER_OF_ROOM}`,
        [input.rootId, input.authorId],
      );
      const root = roots[0];
      if (!root) return { refused: true, reason: 'not-found' } as const;
      const muted = async () => (await exec<unknown[]>('select 1 from users where id = ? and muted_until > clock_timestamp()', [input.authorId])).length > 0;
      if (await muted()) return { refused: true, reason: 'muted' } as const;
      if (root.thread_root_id !== null) return { refused: true, reason: 'not-a-root' } as const;
      const roomId = root.room_id;
      const storedSend = async () => {
        if (input.clientMessageId === null) return null;
        const sent = await exec<Record<string, unknown>[]>(`select ${stateColumns()} from messages m ${STATE_JOINS} where m.author_id = ? and m.room_id = ? and m.client_message_id = ?`, [
          input.authorId,
          roomId,
          input.clientMessageId,
        ]);
        return sent[0] ? { refused: false as const, message: { ...toMessageState(sent[0])!, roomId }, created: false, events: [] } : null;
      };
      const retried = await storedSend();
      if (retried) return retried;
      if (root.deleted && root.replies === 0) return { refused: true, reason: 'root-deleted' } as const;
      const replyTo = input.replyTo ?? null;
      if (replyTo !== null) {
        // Only the thread's own messages: the quote jumps within the thread, and names nothing of another room.
        const quoted = await exec<{ deleted: boolean }[]>('select deleted_at is not null as deleted from messages where id = ? and (id = ? or thread_root_id = ?)', [replyTo, input.rootId, input.rootId]);
        if (!quoted[0]) return { refused: true, reason: 'quote-elsewhere' } as const;
        if (quoted[0].deleted) return { refused: true, reason: 'quote-deleted' } as const;
      }
      await lock();
      const ins = await exec<{ id: string }[]>(
        `insert into messages (author_id, room_id, text, client_message_id, thread_root_id, in_room, reply_to_id, created_at)
           select ?, m.room_id, ?, ?, m.id, ?, ?, clock_timestamp() from messages m
            where m.id = ? and ${MEMBER_OF_ROOM} and not exists (select 1 from users where id = ? and muted_until > clock_timestamp())
           on conflict (author_id, room_id, client_message_id) do nothing
           returning id::text as id`,
        [input.authorId, input.text, input.clientMessageId, input.alsoToRoom, replyTo, input.rootId, input.authorId, input.authorId],
      );
      if (!ins[0]) {
        // A retry that went through meanwhile, or a removal or mute that did.
        const sent = await storedSend();
        if (sent) return sent;
        return { refused: true, reason: (await muted()) ? 'muted' : 'not-found' } as const;
      }
      const id = ins[0].id;
      const mentioned = (await insertMentions(exec, id, roomId, input.mentionNames)).map((m) => m.id);
      const counters = await exec<{ reply_count: number; last_ms: number; repliers: { id: string; username: string }[] | null }[]>(
        `update messages r set thread_reply_count = r.thread_reply_count + 1, thread_last_reply_at = x.created_at,
                thread_repliers = (select jsonb_agg(s.id order by s.ord) from (
                  select ?::text as id, 0::bigint as ord
                  union all
                  select t.id, t.ord from jsonb_array_elements_text(coalesce(r.thread_repliers, '[]'::jsonb)) with ordinality t(id, ord) where t.id <> ?::text
                  order by ord limit 3) s)
           from messages x where r.id = ? and x.id = ?
           returning r.thread_reply_count as reply_count, extract(epoch from r.thread_last_reply_at)::float8 * 1000 as last_ms, ${REPLIERS('r')} as repliers`,
        [input.authorId, input.authorId, input.rootId, id],
      );
      // The root's author follows once; an unfollow of theirs stays. Repliers and those named follow again.
      const rootAuthorNew = await exec<unknown[]>(
        `insert into thread_follows (root_id, user_id, following, last_read_message_id) values (?, ?, true, null) on conflict do nothing returning 1`,
        [input.rootId, root.author_id],
      );
      await exec(
        `insert into thread_follows (root_id, user_id, following, last_read_message_id) values (?, ?, true, ?)
           on conflict (root_id, user_id) do update set following = true, last_read_message_id = greatest(thread_follows.last_read_message_id, excluded.last_read_message_id)`,
        [input.rootId, input.authorId, id],
      );
      const named = mentioned.filter((u) => u !== input.authorId);
      if (named.length > 0) {
        await exec(
          `insert into thread_follows (root_id, user_id, following, last_read_message_id) select ?, u, true, null from unnest(?::uuid[]) u
             on conflict (root_id, user_id) do update set following = true`,
          [input.rootId, named],
        );
      }
      const created = await appendEvent(exec, { type: input.alsoToRoom ? 'message.created' : 'thread.replied', roomId, userId: input.authorId, messageId: id });
      const updated = await appendEvent(exec, {
        type: 'thread.updated',
        roomId,
        userId: input.authorId,
        messageId: input.rootId,
        payload: { replyCount: counters[0]!.reply_count, lastReplyAt: new Date(Math.floor(counters[0]!.last_ms)).toISOString(), repliers: counters[0]!.repliers ?? [] },
      });
      const events = [created, updated];
      // Room mention counts change only for a reply the room sees (UNREAD_MENTIONS skips thread-only ones).
      if (input.alsoToRoom) events.push(...(await mentionEvents(exec, roomId, id, input.authorId, mentioned)));
      const told = new Set([input.authorId, ...named, ...(rootAuthorNew.length > 0 && root.author_id !== input.authorId ? [root.author_id] : [])]);
      for (const userId of [...told].sort()) {
        const event = await threadReadEvent(exec, roomId, input.rootId, userId);
        if (event) events.push(event);
      }
      return { stored: id, roomId, events };
    });
    if (!('stored' in outcome)) return outcome;
    // Read after the commit, off the lock: the reply as stored.
    const message = await this.exec<Record<string, unknown>[]>(`select ${stateColumns()} from messages m ${STATE_JOINS} where m.id = ?`, [outcome.stored]);
    return { refused: false, message: { ...toMessageState(message[0]!)!, roomId: outcome.roomId }, created: true, events: outcome.events };
  }

  /** Message `rootId` with reactions for `readerId`, if it is in a room they are a member of now (the service refuses a reply as a root). */
  async findRoot(rootId: string, readerId: string): Promise<(MessageRecord & { roomId: string }) | null> {
    const rows = await this.exec<Record<string, unknown>[]>(
      `select ${stateColumns()}, m.room_id, ${REACTIONS_COLUMN} from messages m ${STATE_JOINS} where m.id = ? and ${MEMBER_OF_ROOM}`,
      [readerId, rootId, readerId],
    );
    const record = rows[0] && toMessageState(rows[0]);
    return record ? { ...record, roomId: rows[0]!.room_id as string } : null;
  }

  /** The `limit` replies of `rootId` before `before` (or the newest), oldest first, for `readerId` (who must be a member now: judged in the read). */
  async pageBefore(rootId: string, before: string | null, limit: number, readerId: string): Promise<{ messages: MessageRecord[]; hasOlder: boolean }> {
    const rows = await this.exec<Record<string, unknown>[]>(
      `select ${stateColumns()}, ${REACTIONS_COLUMN} from messages m ${STATE_JOINS}
        where m.thread_root_id = ? ${before === null ? '' : 'and m.id < ?'} and ${MEMBER_OF_ROOM} order by m.id desc limit ?`,
      [readerId, rootId, ...(before === null ? [] : [before]), readerId, limit + 1],
    );
    return { messages: rows.slice(0, limit).reverse().map((r) => toMessageState(r)!), hasOlder: rows.length > limit };
  }

  /** Who follows the thread now (its Web Push audience, decision 148; the audience query keeps members only). */
  async followerIds(rootId: string): Promise<string[]> {
    const rows = await this.exec<{ user_id: string }[]>('select user_id from thread_follows where root_id = ? and following', [rootId]);
    return rows.map((r) => r.user_id);
  }

  /** Follows or unfollows; a thread.read event when that changed, null otherwise. The service checked the root. */
  async setFollowing(input: { rootId: string; roomId: string; userId: string; following: boolean }): Promise<EventRecord | null> {
    return lockedTransaction(this.getEntityManager(), async (exec) => {
      const changed = await exec<unknown[]>(
        `insert into thread_follows (root_id, user_id, following, last_read_message_id) values (?, ?, ?, null)
           on conflict (root_id, user_id) do update set following = excluded.following where thread_follows.following <> excluded.following returning 1`,
        [input.rootId, input.userId, input.following],
      );
      return changed.length > 0 ? threadReadEvent(exec, input.roomId, input.rootId, input.userId) : null;
    });
  }

  /**
   * Moves `userId`'s read mark in the thread forward to `messageId` (a reply of it), or to its newest
   * reply when null; a thread.read event when it moved, null otherwise.
   */
  async markRead(input: { rootId: string; roomId: string; userId: string; messageId: string | null }): Promise<EventRecord | null | 'not-a-reply'> {
    return lockedTransaction(this.getEntityManager(), async (exec) => {
      const target = await exec<{ id: string | null }[]>(
        input.messageId === null
          ? 'select max(id)::text as id from messages where thread_root_id = ?'
          : 'select id::text as id from messages where thread_root_id = ? and id = ?',
        input.messageId === null ? [input.rootId] : [input.rootId, input.messageId],
      );
      const to = target[0]?.id ?? null;
      if (to === null) return input.messageId === null ? null : 'not-a-reply';
      const moved = await exec<unknown[]>(
        `insert into thread_follows (root_id, user_id, following, last_read_message_id) values (?, ?, false, ?)
           on conflict (root_id, user_id) do update set last_read_message_id = excluded.last_read_message_id
           where thread_follows.last_read_message_id is null or thread_follows.last_read_message_id < excluded.last_read_message_id returning 1`,
        [input.rootId, input.userId, to],
      );
      return moved.length > 0 ? threadReadEvent(exec, input.roomId, input.rootId, input.userId) : null;
    });
  }

  /**
   * The threads `userId` follows in rooms they are a member of now: unread first, then by the last
   * reply, newest first; at most `limit`. Roots without reactions (the list shows their text).
   */
  async listFollowed(userId: string, limit: number): Promise<ThreadListRecord[]> {
    const rows = await this.exec<Record<string, unknown>[]>(
      `select ${stateColumns()}, m.room_id, tf.last_read_message_id::text as last_read, ${THREAD_COUNTS}
         from thread_follows tf join messages m on m.id = tf.root_id ${STATE_JOINS}
        where tf.user_id = ? and tf.following and ${MEMBER_OF_ROOM}
        order by (${'(select 1 from messages x where x.thread_root_id = tf.root_id and x.id > coalesce(tf.last_read_message_id, 0) and x.author_id <> tf.user_id limit 1)'}) is null,
                 m.thread_last_reply_at desc nulls last, m.id desc
        limit ?`,
      [userId, userId, limit],
    );
    return rows.map((r) => ({
      root: { ...toMessageState(r)!, roomId: r.room_id as string },
      lastReadMessageId: (r.last_read as string | null) ?? null,
      lastReplyId: (r.last_reply as string | null) ?? null,
      unread: r.unread as number,
      mentions: r.mentions as number,
    }));
  }
}
