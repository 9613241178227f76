import { EntityRepository } from '@mikro-orm/postgresql';
import type { ChatEventRow } from '../entities/event.entity';
import type { EventRecord } from '../records';
import { type EventRow, SELECT_EVENTS, SELECT_EVENTS_FOR_READER, toEventRecord } from './event-rows';
import { deleteExpiredBatch, readHorizon, type RetentionBatch } from './event-retention';
import { execOn } from './locked';
import { EVENT_VISIBLE } from './reader-access';

export class EventRepository extends EntityRepository<ChatEventRow> {
  async maxId(): Promise<string | null> {
    const rows = await this.getEntityManager().execute<{ max: string | null }[]>('select max(id)::text as max from events');
    return rows[0]?.max ?? null;
  }

  /**
   * Where a replay may start (docs/decisions/168-event-retention.md): the newest id, and the horizon
   * the retention job has deleted through (a cursor below it has lost events), in one snapshot.
   */
  async replayBounds(): Promise<{ newest: string; horizon: string }> {
    const rows = await this.getEntityManager().execute<{ newest: string | null; horizon: string | null }[]>(
      'select (select max(id)::text from events) as newest, (select deleted_through::text from event_horizon where id = 1) as horizon',
    );
    return { newest: rows[0]?.newest ?? '0', horizon: rows[0]?.horizon ?? '0' };
  }

  /** The retention job's horizon alone: every event up to it is deleted but the few kept. */
  horizon(): Promise<string> {
    return readHorizon(execOn(this.getEntityManager()));
  }

  /** One batch of the retention job (event-retention.ts): events older than `keepMs`, at most `batchSize`. */
  deleteExpiredBatch(opts: { keepMs: number; batchSize: number }): Promise<RetentionBatch> {
    return deleteExpiredBatch(this.getEntityManager(), opts);
  }

  /** Every event after `after`, oldest first: what an instance's feed reads to fill a gap. */
  async listAfter(after: string, limit: number): Promise<EventRecord[]> {
    const rows = await this.getEntityManager().execute<EventRow[]>(`${SELECT_EVENTS} where e.id > ? order by e.id asc limit ?`, [after, limit]);
    return rows.map(toEventRecord);
  }

  /**
   * The ids after `after` up to `upTo` of the events a scoped bus carries for these rooms and users
   * (docs/decisions/158): a room's events but `roomExcludedTypes`, a user's of `userTypes`. An
   * index range on the primary key; the feed reads only the events its bus lost in full.
   */
  async idsFor(
    after: string,
    upTo: string,
    topics: { roomIds: readonly string[]; userIds: readonly string[]; userTypes: readonly string[]; roomExcludedTypes: readonly string[] },
    limit: number,
  ): Promise<string[]> {
    // Lists go as one comma-joined text each: a query of the same shape for 1 room or 10,000.
    const rows = await this.getEntityManager().execute<{ id: string }[]>(
      `select e.id::text as id from events e where e.id > ? and e.id <= ?
         and ((e.room_id = any(string_to_array(?, ',')::uuid[]) and e.type <> all(string_to_array(?, ',')))
           or (e.user_id = any(string_to_array(?, ',')::uuid[]) and e.type = any(string_to_array(?, ','))))
       order by e.id asc limit ?`,
      [after, upTo, topics.roomIds.join(','), topics.roomExcludedTypes.join(','), topics.userIds.join(','), topics.userTypes.join(','), limit],
    );
    return rows.map((r) => r.id);
  }

  /** These events, oldest first, as `listAfter` reads them. */
  async listByIds(ids: readonly string[]): Promise<EventRecord[]> {
    const rows = await this.getEntityManager().execute<EventRow[]>(`${SELECT_EVENTS} where e.id = any(string_to_array(?, ',')::bigint[]) order by e.id asc`, [ids.join(',')]);
    return rows.map(toEventRecord);
  }

  /**
   * The events after `after` that `userId` may see, each judged at its own id: a resuming stream's
   * backlog. A message they may no longer read (changed after their access ended) is not joined
   * in, so its message.created/edited renders as nothing (docs/decisions/123).
   */
  async visibleAfter(userId: string, after: string, limit: number): Promise<EventRecord[]> {
    const rows = await this.getEntityManager().execute<EventRow[]>(
      `${SELECT_EVENTS_FOR_READER} where e.id > ? and ${EVENT_VISIBLE} order by e.id asc limit ?`,
      [userId, userId, after, userId, userId, limit],
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
