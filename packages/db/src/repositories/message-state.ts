import type { AttachmentRecord, LinkPreviewRecord, MessageRecord, ReactionRecord, UserRefRecord } from '../records';
import { ATTACHMENTS_OF_MESSAGE } from './attachment-columns';

// How a message is read in its current state (issue 15): one set of columns for history, search,
// the event log and the records a write returns, so every path renders a message the same way.

/** Reactions are shown with at most this many names per emoji (the count is complete). */
export const REACTION_USERS_SHOWN = 20;

/**
 * The columns of message `m` (author `u`, answered message `r` by `ru`, see STATE_JOINS), each
 * named `${p}column`: event rows prefix them, message rows do not.
 */
export const stateColumns = (p = '') => `m.id::text as ${p}id, m.text as ${p}text, extract(epoch from m.created_at)::float8 * 1000 as ${p}created_ms,
  m.client_message_id as ${p}client_message_id, m.author_id as ${p}author_id, u.username as ${p}author_username, u.avatar_key as ${p}author_avatar, u.display_name as ${p}author_display_name,
  extract(epoch from m.edited_at)::float8 * 1000 as ${p}edited_ms, extract(epoch from m.deleted_at)::float8 * 1000 as ${p}deleted_ms, m.deleted_by as ${p}deleted_by,
  r.id::text as ${p}reply_id, ru.id as ${p}reply_author_id, ru.username as ${p}reply_author_username, r.text as ${p}reply_text, r.deleted_at is not null as ${p}reply_deleted,
  (select json_agg(json_build_object('id', mu.id, 'username', mu.username) order by mm.position)
     from message_mentions mm join users mu on mu.id = mm.user_id where mm.message_id = m.id) as ${p}mentions,
  m.preview as ${p}preview,
  m.thread_root_id::text as ${p}thread_root_id, m.in_room as ${p}in_room, m.thread_reply_count as ${p}thread_reply_count,
  extract(epoch from m.thread_last_reply_at)::float8 * 1000 as ${p}thread_last_reply_ms,
  case when m.thread_reply_count > 0 then ${REPLIERS('m')} end as ${p}thread_repliers,
  ${ATTACHMENTS_OF_MESSAGE} as ${p}attachments`;

/** Root `root`'s last repliers (ids in `thread_repliers`, newest first) as user refs, in that order. */
export const REPLIERS = (root: string) => `(select json_agg(json_build_object('id', tu.id, 'username', tu.username) order by t.ord)
    from jsonb_array_elements_text(coalesce(${root}.thread_repliers, '[]'::jsonb)) with ordinality t(id, ord) join users tu on tu.id = t.id::uuid)`;

/** Joins `stateColumns` reads from, after `messages m`. */
export const STATE_JOINS = `join users u on u.id = m.author_id left join messages r on r.id = m.reply_to_id left join users ru on ru.id = r.author_id`;

/**
 * `reactions`: one entry per emoji, in the order the emoji came in (since it last had no reactions;
 * see `emoji_order`, which each entry carries as `order`), `me` for the reader (the one `?`).
 */
export const REACTIONS_COLUMN = `(select json_agg(json_build_object('emoji', g.emoji, 'count', g.n, 'users', g.users, 'me', g.me, 'order', g.first_id::text) order by g.first_id)
    from (select x.emoji, count(*)::int as n, min(x.emoji_order) as first_id, bool_or(x.user_id = ?::uuid) as me,
                 to_json((array_agg(json_build_object('id', xu.id, 'username', xu.username) order by x.id))[1:${REACTION_USERS_SHOWN}]) as users
            from message_reactions x join users xu on xu.id = x.user_id where x.message_id = m.id group by x.emoji) g) as reactions`;

/**
 * Unread mentions of member row `rm`: messages after its read position, by others, not deleted,
 * whose current mentions name the member; capped like unread counts.
 */
export const UNREAD_MENTIONS = (cap: number) => `(select count(*)::int from (select 1 from message_mentions mm join messages x on x.id = mm.message_id
    where mm.user_id = rm.user_id and x.room_id = rm.room_id and x.in_room and x.id > coalesce(rm.last_read_message_id, 0)
      and x.author_id <> rm.user_id and x.deleted_at is null limit ${cap}) c)`;

type Row = Record<string, unknown>;
/** The stored preview as a card: the author's "removed" mark (which only keeps a late fetch out) is no card. */
const previewCard = (stored: unknown): LinkPreviewRecord | null =>
  stored !== null && typeof stored === 'object' && !('removed' in stored) && typeof (stored as { title?: unknown }).title === 'string' ? (stored as LinkPreviewRecord) : null;
const ms = (v: unknown) => new Date(Math.floor(Number(v)));

/** The record behind `stateColumns(p)` (and `reactions`, when selected); null when the row has no message. */
export function toMessageState(row: Row, p = ''): MessageRecord | null {
  const id = row[`${p}id`] as string | null;
  if (id === null || id === undefined || row[`${p}author_id`] === null) return null;
  const deletedMs = row[`${p}deleted_ms`];
  const replyId = row[`${p}reply_id`] as string | null;
  const record: MessageRecord = {
    id,
    text: row[`${p}text`] as string,
    createdAt: ms(row[`${p}created_ms`]),
    clientMessageId: row[`${p}client_message_id`] as string | null,
    author: {
      id: row[`${p}author_id`] as string,
      username: row[`${p}author_username`] as string,
      avatar: (row[`${p}author_avatar`] as string | null | undefined) ?? null,
      displayName: (row[`${p}author_display_name`] as string | null | undefined) ?? null,
    },
    editedAt: row[`${p}edited_ms`] === null ? null : ms(row[`${p}edited_ms`]),
    deleted: deletedMs === null ? null : { at: ms(deletedMs), by: row[`${p}deleted_by`] === 'moderator' ? 'moderator' : 'author' },
    replyTo:
      replyId === null
        ? null
        : {
            id: replyId,
            author: { id: row[`${p}reply_author_id`] as string, username: row[`${p}reply_author_username`] as string },
            text: row[`${p}reply_text`] as string,
            deleted: row[`${p}reply_deleted`] === true,
          },
    mentions: (row[`${p}mentions`] as UserRefRecord[] | null) ?? [],
    attachments: ((row[`${p}attachments`] as AttachmentRecord[] | null) ?? []).map((a) => ({ ...a, size: Number(a.size) })),
  };
  const threadRootId = row[`${p}thread_root_id`] as string | null | undefined;
  if (threadRootId) {
    record.threadRootId = threadRootId;
    record.inRoom = row[`${p}in_room`] !== false;
  }
  const replyCount = Number(row[`${p}thread_reply_count`] ?? 0);
  if (replyCount > 0) {
    record.thread = { replyCount, lastReplyAt: ms(row[`${p}thread_last_reply_ms`]), repliers: (row[`${p}thread_repliers`] as UserRefRecord[] | null) ?? [] };
  }
  // Only when there is one: records without a card stay the shape they always were.
  const preview = previewCard(row[`${p}preview`]);
  if (preview) record.preview = preview;
  if ('reactions' in row) record.reactions = (row.reactions as ReactionRecord[] | null) ?? [];
  return record;
}
