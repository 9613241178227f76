import { EntityRepository } from '@mikro-orm/postgresql';
import type { Message } from '../entities/message.entity';
import { APPEND_LOCK_KEY } from '../append-lock';
import type { EventRecord, MessageRecord, MessageTarget } from '../records';
import { type AuditDraft, insertAudit } from './audit.repository';
import { positional, renderAppend } from './append-statements';
import { appendEvent, type Exec, execOn, lockedTransaction } from './locked';
import { appendBatch, type PlainAppend } from './message-batch';
import { deleteMentions, insertMentions, mentionEvents } from './mentions';
import { DROP_STALE_PREVIEW_IMAGES, removePreview, storePreview } from './message-preview';
import { resolveReportsOf } from './message-report.repository';
import { REACTIONS_COLUMN, STATE_JOINS, stateColumns, toMessageState } from './message-state';
import { CURRENT_ROOMS, memberNow } from './reader-access';
import { EVERYONE_ROOM_ID } from './room.repository';
import { threadMentionEvents } from './thread.repository';

interface MessageRow {
  id: string;
  text: string;
  created_ms: number;
  client_message_id: string | null;
  author_id: string;
  author_username: string;
  author_avatar: string | null;
  author_display_name: string | null;
}

const toRecord = (r: MessageRow): MessageRecord => ({
  id: r.id,
  text: r.text,
  createdAt: new Date(Math.floor(r.created_ms)),
  clientMessageId: r.client_message_id,
  author: { id: r.author_id, username: r.author_username, avatar: r.author_avatar, displayName: r.author_display_name },
});

/** The plain send's statement, shared with the pgbench scripts (pgbench-scripts.ts). */
const APPEND = positional(renderAppend);

const SELECT_STATE = `select ${stateColumns()} from messages m ${STATE_JOINS}`;
const SELECT_STATE_FOR_READER = `select ${stateColumns()}, ${REACTIONS_COLUMN} from messages m ${STATE_JOINS}`;

/** `m`'s room is one `?` (a user id) is a member of now; #everyone needs no row (every account is in it). */
const CURRENT_MEMBER = `(m.room_id = '${EVERYONE_ROOM_ID}' or ${memberNow('m.room_id')})`;

interface DeletedRow {
  id: string;
  room_id: string;
  author_id: string;
  deleted_ms: number;
  thread_root_id: string | null;
}
const DELETED_RETURNING = `m.id::text as id, m.room_id, m.author_id, extract(epoch from m.deleted_at)::float8 * 1000 as deleted_ms, m.thread_root_id::text as thread_root_id`;

/** A word naming a member, with where it starts (mentions keep the order of first appearance). */
export interface MentionName {
  name: string;
  position: number;
}

export type AppendResult =
  | { refused: false; message: MessageRecord; created: boolean; eventId: string | null; events: EventRecord[] }
  | { refused: true; reason: 'not-member' | 'muted' | 'reply-missing' | 'reply-other-room' | 'reply-deleted' | 'attachments' };

export class MessageRepository extends EntityRepository<Message> {
  private get exec(): Exec {
    return execOn(this.getEntityManager());
  }

  private async stateOf(exec: Exec, messageId: string): Promise<MessageRecord | null> {
    const rows = await exec<Record<string, unknown>[]>(`${SELECT_STATE} where m.id = ?`, [messageId]);
    return rows[0] ? toMessageState(rows[0]) : null;
  }

  /**
   * Stores a message in `roomId` with its message.created event, or returns the one already stored
   * under the same (author, room, clientMessageId), which makes client retries idempotent. The
   * author must be a member of the room at the moment the lock is held, and not muted: `refused` otherwise.
   */
  async append(input: PlainAppend): Promise<AppendResult> {
    const em = this.getEntityManager();
    const roomId = input.roomId ?? EVERYONE_ROOM_ID;
    // One statement, one round trip, one lock hold (append-statements.ts says how).
    const inserted = await em.execute<(MessageRow & { allowed: number; event_id: string | null })[]>(
      APPEND.sql,
      APPEND.params({
        lockKey: APPEND_LOCK_KEY,
        roomId,
        everyoneRoomId: EVERYONE_ROOM_ID,
        authorId: input.authorId,
        text: input.text,
        clientMessageId: input.clientMessageId,
      }),
    );
    const row = inserted[0];
    if (!row || row.allowed === 0) return { refused: true, reason: 'not-member' };
    if (row.id) return { message: toRecord(row), created: true, eventId: row.event_id, events: [], refused: false };
    return { message: await this.existing(this.exec, input.authorId, roomId, input.clientMessageId), created: false, eventId: null, events: [], refused: false };
  }

  /**
   * `append` for many plain sends at once: one statement, one lock hold, one commit (decision 162).
   * Throws only when the statement failed, so nothing of it committed. Otherwise one answer per send,
   * in order, as `append` would give it: a retry of a stored send (or of an earlier send of the same
   * batch) gets the stored message with `created: false`; reading that back can fail for its row alone.
   */
  async appendBatch(inputs: readonly PlainAppend[]): Promise<PromiseSettledResult<AppendResult>[]> {
    const rows = await appendBatch(this.exec, inputs);
    return Promise.allSettled(
      rows.map(async (row, i): Promise<AppendResult> => {
        const input = inputs[i]!;
        if (row.kind === 'refused') return { refused: true, reason: 'not-member' };
        if (row.kind === 'inserted') return { refused: false, message: row.message, created: true, eventId: row.eventId, events: [] };
        const message = await this.existing(this.exec, input.authorId, input.roomId ?? EVERYONE_ROOM_ID, input.clientMessageId);
        return { refused: false, message, created: false, eventId: null, events: [] };
      }),
    );
  }

  /**
   * The message the author already stored under `clientMessageId` in `roomId`, if they are still a
   * member there; null otherwise. Read before a send is charged, so a retry is answered for free.
   */
  async findStoredSend(authorId: string, roomId: string, clientMessageId: string): Promise<MessageRecord | null> {
    const rows = await this.exec<Record<string, unknown>[]>(`${SELECT_STATE} where m.author_id = ? and m.room_id = ? and m.client_message_id = ? and ${CURRENT_MEMBER}`, [
      authorId,
      roomId,
      clientMessageId,
      authorId,
    ]);
    return rows[0] ? toMessageState(rows[0]) : null;
  }

  private async existing(exec: Exec, authorId: string, roomId: string, clientMessageId: string | null): Promise<MessageRecord> {
    const rows = await exec<Record<string, unknown>[]>(`${SELECT_STATE} where m.author_id = ? and m.room_id = ? and m.client_message_id = ?`, [
      authorId,
      roomId,
      clientMessageId,
    ]);
    const found = rows[0] && toMessageState(rows[0]);
    if (!found) throw new Error('message insert conflicted but no existing row was found');
    return found;
  }

  /**
   * `append` for a message that answers another or may name members: one locked transaction that
   * also checks the answered message (same room, not deleted), stores the mentions and writes a
   * mentions.updated event for each member named. `attachmentIds` (issue 24) must each be the
   * author's own upload in this room, ready and not sent: linked to the message in the same
   * transaction, or the whole send is refused ('attachments').
   */
  async appendDetailed(input: {
    authorId: string;
    roomId: string;
    text: string;
    clientMessageId: string | null;
    replyTo: string | null;
    mentionNames: MentionName[];
    attachmentIds?: readonly string[];
  }): Promise<AppendResult> {
    return lockedTransaction(this.getEntityManager(), async (exec) => {
      if (input.roomId !== EVERYONE_ROOM_ID) {
        const member = await exec<unknown[]>('select 1 from room_members where room_id = ? and user_id = ? and left_event_id is null', [input.roomId, input.authorId]);
        if (member.length === 0) return { refused: true, reason: 'not-member' } as const;
      }
      // A muted author sends nothing, replies and mentions included (docs/decisions/113-bans-and-mutes.md).
      const muted = await exec<unknown[]>('select 1 from users where id = ? and muted_until > clock_timestamp()', [input.authorId]);
      if (muted.length > 0) return { refused: true, reason: 'muted' } as const;
      if (input.replyTo !== null) {
        const original = await exec<{ room_id: string; deleted: boolean }[]>('select room_id, deleted_at is not null as deleted from messages where id = ?', [input.replyTo]);
        if (!original[0]) return { refused: true, reason: 'reply-missing' } as const;
        if (original[0].room_id !== input.roomId) return { refused: true, reason: 'reply-other-room' } as const;
        if (original[0].deleted) return { refused: true, reason: 'reply-deleted' } as const;
      }
      const attachmentIds = input.attachmentIds ?? [];
      if (attachmentIds.length > 0) {
        // A retry of a send that went through is that message, whose attachments are now taken.
        if (input.clientMessageId !== null) {
          const sent = await exec<unknown[]>('select 1 from messages where author_id = ? and room_id = ? and client_message_id = ?', [input.authorId, input.roomId, input.clientMessageId]);
          if (sent.length > 0) return { refused: false, message: await this.existing(exec, input.authorId, input.roomId, input.clientMessageId), created: false, eventId: null, events: [] } as const;
        }
        // Locked, so two sends cannot both take the same upload.
        const usable = await exec<unknown[]>(
          `select 1 from attachments where id in (select json_array_elements_text(?::json)) and uploader_id = ? and room_id = ? and message_id is null and status = 'ready' for update`,
          [JSON.stringify(attachmentIds), input.authorId, input.roomId],
        );
        if (usable.length !== new Set(attachmentIds).size || usable.length !== attachmentIds.length) return { refused: true, reason: 'attachments' } as const;
      }
      const ins = await exec<{ id: string }[]>(
        `insert into messages (author_id, room_id, text, client_message_id, reply_to_id, created_at) values (?, ?, ?, ?, ?, clock_timestamp())
           on conflict (author_id, room_id, client_message_id) do nothing returning id::text as id`,
        [input.authorId, input.roomId, input.text, input.clientMessageId, input.replyTo],
      );
      if (!ins[0]) return { refused: false, message: await this.existing(exec, input.authorId, input.roomId, input.clientMessageId), created: false, eventId: null, events: [] } as const;
      const id = ins[0].id;
      if (attachmentIds.length > 0) {
        await exec(
          `update attachments a set message_id = ?, position = t.position - 1 from json_array_elements_text(?::json) with ordinality as t(id, position) where a.id = t.id`,
          [id, JSON.stringify(attachmentIds)],
        );
      }
      const mentioned = await insertMentions(exec, id, input.roomId, input.mentionNames);
      const created = await appendEvent(exec, { type: 'message.created', roomId: input.roomId, userId: input.authorId, messageId: id });
      const mentions = await mentionEvents(exec, input.roomId, id, input.authorId, mentioned.map((m) => m.id));
      return { refused: false, message: (await this.stateOf(exec, id))!, created: true, eventId: created.id, events: [created, ...mentions] } as const;
    });
  }

  /** The message `userId` wants to change, if it exists in a room they are a member of now. */
  async findTarget(messageId: string, userId: string): Promise<MessageTarget | null> {
    const rows = await this.exec<{ id: string; room_id: string; author_id: string; created_ms: number; age_ms: number; deleted: boolean; text: string }[]>(
      `select m.id::text as id, m.room_id, m.author_id, extract(epoch from m.created_at)::float8 * 1000 as created_ms,
              extract(epoch from clock_timestamp() - m.created_at)::float8 * 1000 as age_ms, m.deleted_at is not null as deleted, m.text
         from messages m where m.id = ? and ${CURRENT_MEMBER}`,
      [messageId, userId],
    );
    const r = rows[0];
    return r ? { id: r.id, roomId: r.room_id, authorId: r.author_id, createdAt: new Date(Math.floor(r.created_ms)), ageMs: r.age_ms, deleted: r.deleted, text: r.text } : null;
  }

  /** One message in its current state, with reactions as `readerId` sees them; null unless they are a member of its room now. */
  async findForReader(messageId: string, readerId: string): Promise<(MessageRecord & { roomId: string }) | null> {
    const rows = await this.exec<Record<string, unknown>[]>(
      `select ${stateColumns()}, m.room_id, ${REACTIONS_COLUMN} from messages m ${STATE_JOINS} where m.id = ? and ${CURRENT_MEMBER}`,
      [readerId, messageId, readerId],
    );
    const record = rows[0] && toMessageState(rows[0]);
    return record ? { ...record, roomId: rows[0]!.room_id as string } : null;
  }

  /**
   * Replaces the text of the author's own, undeleted message and its mentions, with a
   * message.edited event and mentions.updated for each member whose unread mentions it changes.
   * Null when nothing changed under the lock (deleted meanwhile, same text, author removed).
   */
  async edit(input: { messageId: string; authorId: string; text: string; mentionNames: MentionName[]; previewUrl?: string | null }): Promise<{ message: MessageRecord; events: EventRecord[] } | null> {
    return lockedTransaction(this.getEntityManager(), async (exec) => {
      // A preview (or its removal) stays only while its link is still the text's first (docs/decisions/138).
      const updated = await exec<{ room_id: string; thread_root_id: string | null }[]>(
        `update messages m set text = ?, edited_at = clock_timestamp(), preview = case when m.preview->>'url' = ? then m.preview end
          where m.id = ? and m.author_id = ? and m.deleted_at is null and m.text <> ? and ${CURRENT_MEMBER} returning m.room_id, m.thread_root_id::text as thread_root_id`,
        [input.text, input.previewUrl ?? null, input.messageId, input.authorId, input.text, input.authorId],
      );
      const roomId = updated[0]?.room_id;
      if (!roomId) return null;
      // The stale preview images and the old mentions go in one round trip (the lock is the deployment's one serial section).
      const before = (
        await exec<{ user_id: string }[]>(`with stale as (${DROP_STALE_PREVIEW_IMAGES}) delete from message_mentions where message_id = ? returning user_id`, [
          input.messageId,
          input.messageId,
        ])
      ).map((r) => r.user_id);
      const after = (await insertMentions(exec, input.messageId, roomId, input.mentionNames)).map((m) => m.id);
      const edited = await appendEvent(exec, { type: 'message.edited', roomId, userId: input.authorId, messageId: input.messageId });
      // Only those named before or after, not both, see their count change.
      const changed = [...before.filter((id) => !after.includes(id)), ...after.filter((id) => !before.includes(id))];
      const mentions = await mentionEvents(exec, roomId, input.messageId, input.authorId, changed);
      const rootId = updated[0]!.thread_root_id;
      // A reply's followers count their thread mentions too (docs/decisions/145-threads.md).
      if (rootId !== null) mentions.push(...(await threadMentionEvents(exec, roomId, rootId, input.authorId, changed)));
      // message.edited carries the message as it is now: the answer needs no read of its own.
      const { roomId: _room, ...message } = edited.message!;
      return { message, events: [edited, ...mentions] };
    });
  }

  /** A fetched link preview, with its message.preview event (message-preview.ts); null when it no longer applies. */
  storePreview(input: Parameters<typeof storePreview>[1]): Promise<EventRecord | null> {
    return storePreview(this.getEntityManager(), input);
  }

  /** The author takes the preview away (message-preview.ts); null when nothing changed. */
  removePreview(input: { messageId: string; authorId: string; link: string | null }): Promise<EventRecord | null> {
    return removePreview(this.getEntityManager(), input);
  }

  /**
   * Deletes a message: the text is emptied (not hidden), its mentions and reactions are removed,
   * with a message.deleted event and mentions.updated for those it named. `by: 'author'` deletes
   * only the actor's own message; `by: 'moderator'` anyone's (the service checked the right to).
   * The actor must still be a member of the room, unless `anyRoom` (an admin acting on a report).
   * Null when nothing changed under the lock (already deleted, actor removed).
   * `resolveReports` closes the message's open reports as deleted by the actor, and `audit` is the
   * moderator's entry: both in the delete's transaction, so none of it commits without the rest.
   */
  async softDelete(input: {
    messageId: string;
    actorId: string;
    by: 'author' | 'moderator';
    anyRoom?: boolean;
    resolveReports?: boolean;
    audit?: (done: { reportsResolved: number }) => AuditDraft;
  }): Promise<{ message: MessageRecord; events: EventRecord[]; reportsResolved: number } | null> {
    return lockedTransaction(this.getEntityManager(), async (exec) => {
      const own = input.by === 'author';
      const member = !(input.anyRoom ?? false);
      const updated = await exec<DeletedRow[]>(
        `update messages m set text = '', preview = null, deleted_at = clock_timestamp(), deleted_by = ?
          where m.id = ? ${own ? 'and m.author_id = ?' : ''} and m.deleted_at is null ${member ? `and ${CURRENT_MEMBER}` : ''}
          returning ${DELETED_RETURNING}`,
        [input.by, input.messageId, ...(own ? [input.actorId] : []), ...(member ? [input.actorId] : [])],
      );
      const row = updated[0];
      if (!row) return null;
      const events = await this.deletedEvents(exec, row, input.by, input.by === 'moderator' ? input.actorId : null);
      const reportsResolved = input.resolveReports ? await resolveReportsOf(exec, input.messageId, input.actorId, 'delete') : 0;
      if (input.audit) await insertAudit(exec, input.audit({ reportsResolved }));
      return { message: (await this.stateOf(exec, input.messageId))!, events, reportsResolved };
    });
  }

  /**
   * A ban's purge: deletes up to `limit` of the author's undeleted messages as a moderator would,
   * in every room, with their events. Called until it returns fewer than `limit`, so no lock is
   * held for a whole history at once.
   */
  async purgeAuthor(input: { authorId: string; actorId: string; limit: number; by?: 'author' | 'moderator' }): Promise<{ messageIds: string[]; events: EventRecord[] }> {
    // 'author': the account's own deletion (docs/decisions/144-account-deletion.md); a ban's purge is a moderator's.
    const by = input.by ?? 'moderator';
    return lockedTransaction(this.getEntityManager(), async (exec) => {
      const updated = await exec<DeletedRow[]>(
        `update messages m set text = '', preview = null, deleted_at = clock_timestamp(), deleted_by = '${by === 'author' ? 'author' : 'moderator'}'
          where m.id in (select id from messages where author_id = ? and deleted_at is null order by id limit ?)
          returning ${DELETED_RETURNING}`,
        [input.authorId, input.limit],
      );
      updated.sort((x, y) => (BigInt(x.id) < BigInt(y.id) ? -1 : 1));
      const events: EventRecord[] = [];
      for (const row of updated) events.push(...(await this.deletedEvents(exec, row, by, by === 'author' ? null : input.actorId)));
      return { messageIds: updated.map((r) => r.id), events };
    });
  }

  /** Inside the lock, after the update: drops mentions and reactions, writes message.deleted and mentions.updated. */
  private async deletedEvents(exec: Exec, row: DeletedRow, by: 'author' | 'moderator', moderatorId: string | null): Promise<EventRecord[]> {
    const named = await deleteMentions(exec, row.id);
    await exec('delete from message_reactions where message_id = ?', [row.id]);
    // Its files go with it: the rows now, the bytes after the commit (the trigger queues them in file_erasures).
    await exec('delete from attachments where message_id = ?', [row.id]);
    // A deleted message leaves the pinned list with its delete (docs/decisions/154).
    await exec('delete from message_pins where message_id = ?', [row.id]);
    const deleted = await appendEvent(exec, {
      type: 'message.deleted',
      roomId: row.room_id,
      userId: row.author_id,
      actorId: moderatorId,
      messageId: row.id,
      payload: { at: new Date(Math.floor(row.deleted_ms)).toISOString(), by },
    });
    const mentions = await mentionEvents(exec, row.room_id, row.id, row.author_id, named);
    if (row.thread_root_id !== null) mentions.push(...(await threadMentionEvents(exec, row.room_id, row.thread_root_id, row.author_id, named)));
    return [deleted, ...mentions];
  }

  /**
   * The `limit` messages just before `before` (or the newest), oldest first, in their current state
   * for `readerId`: none unless they are a member of the room now, judged by the read itself (a
   * removal between the service's check and this read leaves nothing to read).
   */
  async pageBefore(
    before: string | null,
    limit: number,
    roomId: string = EVERYONE_ROOM_ID,
    readerId: string | null = null,
  ): Promise<{ messages: MessageRecord[]; hasOlder: boolean }> {
    const rows = await this.exec<Record<string, unknown>[]>(
      `${SELECT_STATE_FOR_READER} where m.room_id = ? and m.in_room ${before === null ? '' : 'and m.id < ?'} ${readerId === null ? '' : `and ${CURRENT_MEMBER}`} order by m.id desc limit ?`,
      [readerId, roomId, ...(before === null ? [] : [before]), ...(readerId === null ? [] : [readerId]), limit + 1],
    );
    const hasOlder = rows.length > limit;
    return { messages: rows.slice(0, limit).reverse().map((r) => toMessageState(r)!), hasOlder };
  }

  async maxId(roomId: string = EVERYONE_ROOM_ID): Promise<string | null> {
    const rows = await this.getEntityManager().execute<{ max: string | null }[]>('select max(id)::text as max from messages where room_id = ? and in_room', [roomId]);
    return rows[0]?.max ?? null;
  }

  /**
   * Messages with an id greater than `after`, oldest first, in their current state (no reactions): a
   * resuming reader's backlog. With `readerId`, none unless they are a member of the room now.
   */
  async listAfter(after: string, limit: number, roomId: string = EVERYONE_ROOM_ID, readerId: string | null = null): Promise<MessageRecord[]> {
    const rows = await this.exec<Record<string, unknown>[]>(
      `${SELECT_STATE} where m.room_id = ? and m.in_room and m.id > ? ${readerId === null ? '' : `and ${CURRENT_MEMBER}`} order by m.id asc limit ?`,
      [roomId, after, ...(readerId === null ? [] : [readerId]), limit],
    );
    return rows.map((r) => toMessageState(r)!);
  }

  /**
   * Full-text search (docs/decisions/100-message-lifecycle.md): messages of the rooms `userId` is a
   * member of now (or of `roomId` only), whose current text has every word of `query` as a word
   * or the start of one; newest first, with a headline whose matches sit between \u0002 and \u0003.
   */
  async search(input: { userId: string; query: string; roomId: string | null; before: string | null; limit: number }): Promise<{
    hits: { message: MessageRecord & { roomId: string }; headline: string }[];
    hasMore: boolean;
  }> {
    // The tsquery is built first and passed as a constant, so the planner sees it: a rare word takes the
    // GIN index, a common one the newest-first scan. Each lexeme is quoted: no input is parsed as tsquery syntax.
    const built = await this.exec<{ q: string | null }[]>(
      `select string_agg('''' || replace(replace(t.lexeme, '\\', '\\\\'), '''', '''''') || ''':*', ' & ') as q from unnest(to_tsvector('simple', ?)) t`,
      [input.query],
    );
    const tsquery = built[0]?.q ?? null;
    if (tsquery === null) return { hits: [], hasMore: false };
    const params: unknown[] = [tsquery, input.userId];
    if (input.roomId !== null) params.push(input.roomId);
    if (input.before !== null) params.push(input.before);
    params.push(input.limit + 1, input.userId, tsquery);
    const rows = await this.exec<Record<string, unknown>[]>(
      `with hits as (
         select m.id from messages m
          where m.search_vector @@ ?::tsquery and m.deleted_at is null
            and m.room_id in ${CURRENT_ROOMS}
            ${input.roomId === null ? '' : 'and m.room_id = ?'} ${input.before === null ? '' : 'and m.id < ?'}
          order by m.id desc limit ?)
       select ${stateColumns()}, m.room_id, ${REACTIONS_COLUMN},
              ts_headline('simple', m.text, ?::tsquery, 'StartSel=\u0002, StopSel=\u0003, MaxWords=30, MinWords=12, ShortWord=0, MaxFragments=2, FragmentDelimiter=" … "') as headline
         from hits h join messages m on m.id = h.id ${STATE_JOINS}
        order by m.id desc`,
      params,
    );
    const hasMore = rows.length > input.limit;
    return {
      hits: rows.slice(0, input.limit).map((r) => ({ message: { ...toMessageState(r)!, roomId: r.room_id as string }, headline: r.headline as string })),
      hasMore,
    };
  }
}
