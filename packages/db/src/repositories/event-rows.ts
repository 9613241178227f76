import type { EventRecord } from '../records';
import { STATE_JOINS, stateColumns, toMessageState } from './message-state';
import { HIDDEN_FROM, STATE_READABLE } from './reader-access';

/** What the event queries select: the event, and for message.created/edited/preview its message as it is now (`m_` columns). */
export interface EventRow {
  id: string;
  type: string;
  room_id: string;
  user_id: string | null;
  actor_id: string | null;
  message_id: string | null;
  payload: Record<string, unknown> | null;
  created_ms: number;
  thread_root_id: string | null;
  [messageColumn: `m_${string}`]: unknown;
}

/** Event types whose message is rendered from the messages table when the event is read. */
const RENDERED = `('message.created', 'message.edited', 'message.preview', 'thread.replied', 'thread.read', 'message.pinned')`;

/** Event types about one message (`message_id`): a thread-only reply's go out as thread.message. */
const ABOUT_A_MESSAGE = `('message.edited', 'message.preview', 'message.deleted', 'reaction.changed', 'thread.replied')`;

/**
 * The event select, its message joined in for message.created/edited; `readable` limits that join
 * further (a message a reader may not read renders as none, and the event then as nothing).
 */
// Lateral: one primary-key lookup per event row, whatever the planner thinks of the joins inside.
const selectEvents = (extra: string, readable: string, source = 'events') => `select e.id::text as id, e.type, e.room_id, e.user_id, e.actor_id, e.message_id::text as message_id, e.payload,
    extract(epoch from e.created_at)::float8 * 1000 as created_ms, em.*,
    (select t.thread_root_id::text from messages t where t.id = e.message_id and not t.in_room and e.type in ${ABOUT_A_MESSAGE}) as thread_root_id
  from ${source} e
  left join lateral (select ${stateColumns('m_')}${extra} from messages m ${STATE_JOINS} where e.type in ${RENDERED} and m.id = e.message_id${readable}) em on true`;

/**
 * Every event with its message as it is now: what the feed carries to every viewer, with the
 * viewers who may not read that state (`m_hidden_from`, docs/decisions/123).
 */
export const SELECT_EVENTS = selectEvents(`, ${HIDDEN_FROM} as m_hidden_from`, '');

/** SELECT_EVENTS over the rows of a CTE named `inserted` (an `insert into events … returning *`): append and read back in one round trip. */
export const SELECT_INSERTED_EVENTS = selectEvents(`, ${HIDDEN_FROM} as m_hidden_from`, '', 'inserted');

/** The same for one reader (its first two `?`): a message is joined in only while they may read its current state. */
export const SELECT_EVENTS_FOR_READER = selectEvents('', ` and ${STATE_READABLE}`);

export const toEventRecord = (r: EventRow): EventRecord => {
  const message = toMessageState(r as unknown as Record<string, unknown>, 'm_');
  return {
    id: r.id,
    type: r.type,
    roomId: r.room_id,
    userId: r.user_id,
    actorId: r.actor_id,
    messageId: r.message_id,
    message: message ? { ...message, roomId: r.room_id } : null,
    payload: r.payload,
    createdAt: new Date(Math.floor(r.created_ms)),
    ...(r.thread_root_id ? { threadRootId: r.thread_root_id } : {}),
    ...(Array.isArray(r.m_hidden_from) && r.m_hidden_from.length > 0 ? { hiddenFrom: r.m_hidden_from as string[] } : {}),
  };
};
