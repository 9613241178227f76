import type { EventRecord } from '../records';

/** What the event queries select: the event, and for message.created its message as it is now. */
export interface EventRow {
  id: string;
  type: string;
  room_id: string;
  user_id: string | null;
  actor_id: string | null;
  message_id: string | null;
  payload: Record<string, unknown> | null;
  created_ms: number;
  m_text: string | null;
  m_created_ms: number | null;
  m_client_message_id: string | null;
  m_author_id: string | null;
  m_author_username: string | null;
}

export const SELECT_EVENTS = `select e.id::text as id, e.type, e.room_id, e.user_id, e.actor_id, e.message_id::text as message_id, e.payload,
    extract(epoch from e.created_at)::float8 * 1000 as created_ms,
    m.text as m_text, extract(epoch from m.created_at)::float8 * 1000 as m_created_ms, m.client_message_id as m_client_message_id,
    m.author_id as m_author_id, u.username as m_author_username
  from events e
  left join messages m on e.type = 'message.created' and m.id = e.message_id
  left join users u on u.id = m.author_id`;

export const toEventRecord = (r: EventRow): EventRecord => ({
  id: r.id,
  type: r.type,
  roomId: r.room_id,
  userId: r.user_id,
  actorId: r.actor_id,
  messageId: r.message_id,
  message:
    r.m_author_id !== null && r.message_id !== null
      ? {
          id: r.message_id,
          roomId: r.room_id,
          text: r.m_text ?? '',
          createdAt: new Date(Math.floor(r.m_created_ms ?? 0)),
          clientMessageId: r.m_client_message_id,
          author: { id: r.m_author_id, username: r.m_author_username ?? '' },
        }
      : null,
  payload: r.payload,
  createdAt: new Date(Math.floor(r.created_ms)),
});
