import { EntityRepository } from '@mikro-orm/postgresql';
import type { ChatEventRow } from '../entities/event.entity';
import type { EventRecord } from '../records';
import { type EventRow, SELECT_EVENTS, toEventRecord } from './event-rows';

/** Events only their subject sees: their read position and their unread mentions. */
const OWN_EVENTS = `('read.updated', 'mentions.updated')`;

/**
 * An event is visible to a user when it is their own read position or mention count, or when they were a member
 * of its room at its id: joined at or before it, and not left before it (the event that takes
 * them out is still theirs to see).
 */
const VISIBLE_TO = `((e.type in ${OWN_EVENTS} and e.user_id = ?) or (e.type not in ${OWN_EVENTS} and exists (
    select 1 from room_members rm
     where rm.room_id = e.room_id and rm.user_id = ? and rm.joined_event_id <= e.id
       and (rm.left_event_id is null or e.id <= rm.left_event_id))))`;

export class EventRepository extends EntityRepository<ChatEventRow> {
  async maxId(): Promise<string | null> {
    const rows = await this.getEntityManager().execute<{ max: string | null }[]>('select max(id)::text as max from events');
    return rows[0]?.max ?? null;
  }

  /** Every event after `after`, oldest first: what an instance's feed reads to fill a gap. */
  async listAfter(after: string, limit: number): Promise<EventRecord[]> {
    const rows = await this.getEntityManager().execute<EventRow[]>(`${SELECT_EVENTS} where e.id > ? order by e.id asc limit ?`, [after, limit]);
    return rows.map(toEventRecord);
  }

  /** The events after `after` that `userId` may see, each judged at its own id: a resuming stream's backlog. */
  async visibleAfter(userId: string, after: string, limit: number): Promise<EventRecord[]> {
    const rows = await this.getEntityManager().execute<EventRow[]>(
      `${SELECT_EVENTS} where e.id > ? and ${VISIBLE_TO} order by e.id asc limit ?`,
      [after, userId, userId, limit],
    );
    return rows.map(toEventRecord);
  }

  /**
   * The rooms `userId` is in and the newest event id, read in one statement (one snapshot): since
   * events commit in id order, the rooms are exactly those as of that id.
   */
  async membershipAt(userId: string): Promise<{ roomIds: string[]; eventId: string }> {
    const rows = await this.getEntityManager().execute<{ room_ids: string[] | null; max: string | null }[]>(
      `select (select array_agg(room_id::text) from room_members where user_id = ? and left_event_id is null) as room_ids,
              (select max(id)::text from events) as max`,
      [userId],
    );
    return { roomIds: rows[0]?.room_ids ?? [], eventId: rows[0]?.max ?? '0' };
  }
}
