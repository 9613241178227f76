import type { EventRecord } from '../records';
import { STATE_JOINS, stateColumns, toMessageState } from './message-state';

/** What the event queries select: the event, and for message.created/edited its message as it is now (`m_` columns). */
export interface EventRow {
  id: string;
  type: string;
  room_id: string;
  user_id: string | null;
  actor_id: string | null;
  message_id: string | null;
  payload: Record<string, unknown> | null;
  created_ms: number;
  [messageColumn: `m_${string}`]: unknown;
}

/** Event types whose message is rendered from the messages table when the event is read. */
const RENDERED = `('message.created', 'message.edited')`;

// Lateral: one primary-key lookup per event row, whatever the planner thinks of the joins inside.
export const SELECT_EVENTS = `select e.id::text as id, e.type, e.room_id, e.user_id, e.actor_id, e.message_id::text as message_id, e.payload,
    extract(epoch from e.created_at)::float8 * 1000 as created_ms, em.*
  from events e
  left join lateral (select ${stateColumns('m_')} from messages m ${STATE_JOINS} where e.type in ${RENDERED} and m.id = e.message_id) em on true`;

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
  };
};
