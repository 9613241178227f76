import type { EventRecord, UserRefRecord } from '../records';
import { appendEvent, type Exec } from './locked';
import { UNREAD_MENTIONS } from './message-state';
import { UNREAD_CAP } from './room.repository';

/** Most members one message can mention; further names stay plain text. */
export const MAX_MENTIONS = 20;

/**
 * Stores the mentions of `messageId`: of `names` (lower-case, with the position of the word they
 * came from), the current members of `roomId`, in order of first appearance, at most MAX_MENTIONS.
 */
export async function insertMentions(exec: Exec, messageId: string, roomId: string, names: { name: string; position: number }[]): Promise<UserRefRecord[]> {
  if (names.length === 0) return [];
  return exec<UserRefRecord[]>(
    `with found as (
       select distinct on (u.id) u.id, u.username, n.pos from unnest(?::text[], ?::int[]) n(name, pos)
         join users u on lower(u.username) = n.name
         join room_members rm on rm.room_id = ? and rm.user_id = u.id and rm.left_event_id is null
        order by u.id, n.pos),
     firsts as (select * from found order by pos limit ${MAX_MENTIONS}),
     ins as (insert into message_mentions (message_id, user_id, position)
             select ?, f.id, row_number() over (order by f.pos) - 1 from firsts f returning user_id)
     select f.id, f.username from firsts f order by f.pos`,
    [names.map((n) => n.name), names.map((n) => n.position), roomId, messageId],
  );
}

/** Removes the mentions of `messageId`; returns whom they named. */
export async function deleteMentions(exec: Exec, messageId: string): Promise<string[]> {
  const rows = await exec<{ user_id: string }[]>('delete from message_mentions where message_id = ? returning user_id', [messageId]);
  return rows.map((r) => r.user_id);
}

/**
 * A mentions.updated event (visible only to its user) for each of `userIds` whose unread mentions
 * in `roomId` may have changed through `messageId`: current members, not its author, who have not
 * read up to it. The payload is the absolute count right after the change.
 */
export async function mentionEvents(exec: Exec, roomId: string, messageId: string, authorId: string, userIds: string[]): Promise<EventRecord[]> {
  const affected = [...new Set(userIds)].filter((id) => id !== authorId);
  if (affected.length === 0) return [];
  const counts = await exec<{ user_id: string; n: number }[]>(
    `select rm.user_id, ${UNREAD_MENTIONS(UNREAD_CAP)} as n from room_members rm
      where rm.room_id = ? and rm.user_id = any(?::uuid[]) and rm.left_event_id is null and coalesce(rm.last_read_message_id, 0) < ?
      order by rm.user_id`,
    [roomId, affected, messageId],
  );
  const events: EventRecord[] = [];
  for (const c of counts) events.push(await appendEvent(exec, { type: 'mentions.updated', roomId, userId: c.user_id, payload: { mentions: c.n } }));
  return events;
}
